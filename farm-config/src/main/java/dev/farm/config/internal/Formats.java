package dev.farm.config.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.spi.ConfigFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configuration formats farm knows: built in, and plug-ins found by {@link ServiceLoader}. */
final class Formats {

    private static final Logger LOG = LoggerFactory.getLogger(Formats.class);

    /** The built-in formats. */
    enum Kind {
        YAML,
        JSON,
        FARM_JS,
        PROCFILE,
        UNKNOWN
    }

    static final List<String> BUILT_IN_NAMES =
            List.of("farm.yaml", "farm.yml", "farm.json", "farm.config.js", "farm.config.ts", "Procfile");

    private Formats() {}

    /** The built-in format of a file, by name; YAML and JSON also by extension. */
    static Kind builtIn(Path file) {
        String name = String.valueOf(file.getFileName());
        if (name.equals("Procfile") || name.startsWith("Procfile.")) {
            return Kind.PROCFILE;
        }
        if (name.equals("farm.config.js") || name.equals("farm.config.ts") || name.equals("farm.config.mjs")) {
            return Kind.FARM_JS;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Kind.YAML;
        }
        if (name.endsWith(".json")) {
            return Kind.JSON;
        }
        return Kind.UNKNOWN;
    }

    /** The plug-in format that claims this file's name, if any; a built-in name stays the built-in format's. */
    static Optional<ConfigFormat> plugin(Path file, List<ConfigFormat> plugins) {
        String name = String.valueOf(file.getFileName());
        if (BUILT_IN_NAMES.contains(name)) {
            return Optional.empty();
        }
        for (ConfigFormat format : plugins) {
            if (format.fileNames().contains(name)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /**
     * Every file name farm looks for in a project folder, in order, with its plug-in format: built-in names first,
     * with no plug-in (the loader reads them itself).
     */
    static Map<String, Optional<ConfigFormat>> byFileName(List<ConfigFormat> plugins) {
        Map<String, Optional<ConfigFormat>> formats = new LinkedHashMap<>();
        for (String name : BUILT_IN_NAMES) {
            formats.put(name, Optional.empty());
        }
        for (ConfigFormat plugin : plugins) {
            for (String name : plugin.fileNames()) {
                formats.putIfAbsent(name, Optional.of(plugin));
            }
        }
        return formats;
    }

    /**
     * Loads the plug-ins, each in its own {@code try}: one broken jar is skipped with a warning. Two plug-ins claiming
     * one file name is an error naming both.
     */
    static List<ConfigFormat> plugins() {
        Map<String, ConfigFormat> claimed = new LinkedHashMap<>();
        java.util.Iterator<ConfigFormat> iterator = ServiceLoader.load(
                        ConfigFormat.class, Formats.class.getClassLoader())
                .iterator();
        while (true) {
            ConfigFormat format;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                format = iterator.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a configuration format plug-in that failed to load: {}", e.getMessage());
                continue;
            }
            for (String name : format.fileNames()) {
                ConfigFormat other = claimed.putIfAbsent(name, format);
                if (other != null && other.getClass() != format.getClass()) {
                    throw new ConfigException(new ConfigProblem(
                            Path.of(name),
                            0,
                            0,
                            "",
                            "two configuration format plug-ins claim " + name + ": "
                                    + other.getClass().getName()
                                    + " and " + format.getClass().getName() + ". Remove one of them from the class"
                                    + " path."));
                }
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(claimed.values()));
    }
}
