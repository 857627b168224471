package dev.farm.config.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import dev.farm.config.internal.Node.Entry;
import dev.farm.config.internal.Node.MapNode;
import dev.farm.config.internal.Node.Mark;
import dev.farm.config.spi.ConfigFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads a configuration the way every source shares: the format's tree, then discovery, the active profile and
 * presets, then binding and the checks across services.
 */
public final class ConfigLoader {

    private final Path file;
    private final Path directory;
    private final LoadOptions options;
    private final @Nullable ConfigFormat format;
    private final BooleanSupplier nodeStripsTypes;

    /**
     * Creates a loader for one file; nothing is read yet.
     *
     * @param file the file, as the user named it
     * @param format the format to read it with, or null to choose by file name
     * @param options the profile, environment and port allocator
     */
    public ConfigLoader(Path file, @Nullable ConfigFormat format, LoadOptions options) {
        this(file, format, options, Discovery::nodeStripsTypes);
    }

    ConfigLoader(Path file, @Nullable ConfigFormat format, LoadOptions options, BooleanSupplier nodeStripsTypes) {
        this.file = file;
        Path parent = file.toAbsolutePath().normalize().getParent();
        this.directory = parent != null ? parent : file.toAbsolutePath();
        this.options = options;
        this.format = format;
        this.nodeStripsTypes = nodeStripsTypes;
    }

    /**
     * Reads the first configuration file found in a project folder.
     *
     * @param projectDirectory the project folder
     * @param options the profile, environment and port allocator
     * @return the configuration
     * @throws ConfigException when there is none, or it is wrong
     */
    public static FarmConfig loadDirectory(Path projectDirectory, LoadOptions options) {
        if (!Files.isDirectory(projectDirectory)) {
            throw new ConfigException(new ConfigProblem(
                    projectDirectory,
                    0,
                    0,
                    "",
                    "folder " + projectDirectory.toAbsolutePath().normalize() + " does not exist. Check the path"
                            + " given with -C."));
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Optional<ConfigFormat>> candidate :
                Formats.byFileName(Formats.plugins()).entrySet()) {
            names.add(candidate.getKey());
            Path path = projectDirectory.resolve(candidate.getKey());
            if (Files.isRegularFile(path)) {
                return new ConfigLoader(path, candidate.getValue().orElse(null), options).load();
            }
        }
        throw new ConfigException(new ConfigProblem(
                projectDirectory.resolve(names.get(0)),
                0,
                0,
                "",
                "no farm configuration in " + projectDirectory.toAbsolutePath().normalize() + " (looked for "
                        + String.join(", ", names) + "). Create a farm.yaml there (examples/hello/farm.yaml shows the"
                        + " shape), run farm from the project folder, or name the file with -f."));
    }

    /**
     * Reads, expands, binds and validates the configuration.
     *
     * @return the configuration
     * @throws ConfigException listing every problem found
     */
    public FarmConfig load() {
        Problems problems = new Problems(file);
        MapNode top = tree(problems);
        ConfigBinder binder = new ConfigBinder(file, directory, options, problems);
        Discovery discovery = new Discovery(directory, problems, nodeStripsTypes);
        top = discovery.apply(top, binder);
        List<String> profiles = Profiles.names(top);
        String active = options.profile();
        if (!profiles.contains(active) && !active.equals(LoadOptions.DEV) && !active.equals(LoadOptions.SERVE)) {
            problems.addForFile("no profile named '" + active + "'" + Suggestions.didYouMean(active, profiles)
                    + (profiles.isEmpty()
                            ? ": the file declares no profiles."
                            : ". The file declares " + String.join(", ", profiles) + ".")
                    + " Pick one of them with --profile, or declare it under 'profiles'.");
        }
        top = Profiles.apply(top, options.profile(), problems, binder);
        Optional<Entry> services = top.entry("services");
        if (services.isPresent() && services.get().value() instanceof MapNode serviceMap) {
            top = Trees.with(top, "services", Presets.apply(serviceMap, problems));
        }
        FarmConfig config = binder.setups(discovery.setups())
                .foundManifests(discovery.foundManifests())
                .bind(top, profiles);
        problems.throwIfAny(profiles);
        return config;
    }

    private MapNode tree(Problems problems) {
        Node root;
        ConfigFormat chosen = format != null
                ? format
                : Formats.plugin(file, Formats.plugins()).orElse(null);
        if (chosen != null) {
            root = Trees.fromPlain(chosen.read(file), new Mark(file, 0, 0));
        } else {
            root = switch (Formats.builtIn(file)) {
                case YAML -> TreeFormat.parse(file, TreeFormat.YAML, problems).orElse(null);
                case JSON -> TreeFormat.parse(file, TreeFormat.JSON, problems).orElse(null);
                case PROCFILE -> procfile(problems);
                case FARM_JS -> Trees.fromPlain(new FarmJsFormat().read(file), new Mark(file, 0, 0));
                case UNKNOWN ->
                    throw new ConfigException(new ConfigProblem(
                            file,
                            0,
                            0,
                            "",
                            "farm does not know this file's format. Name it farm.yaml (or .yml, .json, farm.config.js,"
                                    + " Procfile), or add a ConfigFormat plug-in for it."));
            };
        }
        if (root == null) {
            problems.addForFile("the file is empty. Declare at least one service under 'services:'"
                    + " (examples/hello/farm.yaml shows the shape).");
            problems.throwIfAny();
            throw new IllegalStateException("unreachable");
        }
        if (!(root instanceof MapNode top)) {
            problems.add(
                    root.mark(),
                    "",
                    "expected a mapping with a 'services' key at the top of the file, found " + root.describe()
                            + ". Start the file with 'services:'.");
            problems.throwIfAny();
            throw new IllegalStateException("unreachable");
        }
        return top;
    }

    /**
     * A Procfile as foreman reads it: one process per line, its own PORT from 5000 in steps of 100 (over a PORT in
     * .env, as foreman's is), the .env beside it, and commands handed to the shell as written.
     */
    private Node procfile(Problems problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    List.of(new ConfigProblem(
                            file, 0, 0, "", "file not found. Check the path" + " given with -f or -C.")),
                    e);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", "cannot be read: " + e + ".")), e);
        }
        Procfile.Result parsed = Procfile.parse(file, text);
        problems.addAll(parsed.problems());
        Mark fileMark = new Mark(file, 0, 0);
        List<Entry> services = new ArrayList<>();
        for (int i = 0; i < parsed.entries().size(); i++) {
            Procfile.Entry entry = parsed.entries().get(i);
            Mark mark = new Mark(file, entry.line(), 1);
            if (!ConfigBinder.SERVICE_NAME.matcher(entry.name()).matches()) { // foreman takes _web; farm cannot
                String suggestion = entry.name().replaceFirst("^[_-]+", "");
                problems.add(
                        mark,
                        entry.name(),
                        "farm runs each process type as a service, and a service name starts with a letter or digit."
                                + " Rename it" + (suggestion.isEmpty() ? "" : ", such as '" + suggestion + "'") + ".");
                continue;
            }
            Mark commandMark = new Mark(file, entry.line(), entry.column());
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("command", entry.command().replace("$", "$$")); // the shell's $, not farm's ${...}
            if (i > Procfile.MAX_INDEX) {
                problems.add(
                        mark,
                        entry.name(),
                        "foreman's ports (5000 + 100 per process type) run out after " + (Procfile.MAX_INDEX + 1)
                                + " process types. Split the Procfile, or write a farm.yaml.");
                continue;
            }
            service.put("port", Procfile.port(i));
            service.put("env", Map.of("PORT", "${port}"));
            MapNode body = (MapNode) Trees.fromPlain(service, commandMark);
            services.add(new Entry(entry.name(), mark, body));
        }
        if (services.isEmpty()) {
            if (problems.isEmpty()) {
                problems.addForFile("declares no process type. Add a line such as 'web: npm start'.");
            }
            problems.throwIfAny(); // every line was reported; "no services declared" would say it again
        }
        List<Entry> top = new ArrayList<>();
        if (Files.isRegularFile(directory.resolve(".env"))) {
            Map<String, Object> envFile = new LinkedHashMap<>();
            envFile.put("path", ".env");
            envFile.put("required", false);
            top.add(new Entry("env_file", fileMark, Trees.fromPlain(envFile, fileMark)));
        }
        top.add(new Entry("services", fileMark, new MapNode(fileMark, services)));
        return new MapNode(fileMark, top);
    }
}
