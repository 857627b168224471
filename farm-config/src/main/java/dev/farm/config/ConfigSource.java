package dev.farm.config;

import dev.farm.config.internal.YamlConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a project's configuration comes from.
 *
 * <pre>{@code
 * FarmConfig config = ConfigSource.directory(Path.of("examples/hello")).load();
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ConfigSource {

    /** The file names farm looks for in a project folder, in order. */
    List<String> FILE_NAMES = List.of("farm.yaml", "farm.yml");

    /**
     * Reads and validates the configuration.
     *
     * @return the configuration, never {@code null}
     * @throws ConfigException when the file is missing, unreadable or wrong; the exception lists every problem
     */
    FarmConfig load();

    /**
     * Returns a source reading the given YAML file; its folder is the project folder.
     *
     * @param file a {@code farm.yaml}, relative to the current directory or absolute; messages name it as given
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource file(Path file) {
        return () -> new YamlConfigReader(file).read();
    }

    /**
     * Returns a source reading the configuration file of the given project folder: the first of {@link #FILE_NAMES}
     * that exists there.
     *
     * @param projectDirectory the project folder
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource directory(Path projectDirectory) {
        return () -> {
            for (String name : FILE_NAMES) {
                Path candidate = projectDirectory.resolve(name);
                if (Files.exists(candidate)) {
                    return new YamlConfigReader(candidate).read();
                }
            }
            throw new ConfigException(new ConfigProblem(
                    projectDirectory.resolve(FILE_NAMES.get(0)),
                    0,
                    0,
                    "",
                    "no farm.yaml or farm.yml in "
                            + projectDirectory.toAbsolutePath().normalize()
                            + ". Create one there (examples/hello/farm.yaml shows the shape), run farm from the"
                            + " project folder, or name the file with -f."));
        };
    }
}
