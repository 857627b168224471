package dev.farm.config;

import dev.farm.config.internal.ConfigLoader;
import dev.farm.config.spi.ConfigFormat;
import java.nio.file.Path;

/**
 * Where a project's configuration comes from.
 *
 * <pre>{@code
 * FarmConfig config = ConfigSource.directory(Path.of("examples/hello")).load();
 * }</pre>
 *
 * <p>A project folder may hold {@code farm.yaml}, {@code farm.yml}, {@code farm.json}, {@code farm.config.js},
 * {@code farm.config.ts} or a {@code Procfile} (looked for in that order), or a file of a
 * {@link ConfigFormat} plug-in.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ConfigSource {

    /**
     * Reads and validates the configuration. Each call reads it again, so that {@code farm dev} sees an edited file
     * (farm-testkit-kits' {@code ConfigSourceCompatibilityKit} checks this of an implementation).
     *
     * @return the configuration, never {@code null}
     * @throws ConfigException when the file is missing, unreadable or wrong; the exception lists every problem
     */
    FarmConfig load();

    /**
     * Returns a source reading the given file with the {@code dev} profile; its folder is the project folder.
     *
     * @param file a configuration file, relative to the current directory or absolute; messages name it as given
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource file(Path file) {
        return file(file, LoadOptions.defaults());
    }

    /**
     * Returns a source reading the given file, its format chosen by its name.
     *
     * @param file a configuration file; messages name it as given
     * @param options the profile, environment and port allocator
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource file(Path file, LoadOptions options) {
        return () -> new ConfigLoader(file, null, options).load();
    }

    /**
     * Returns a source reading the given file with the given format, whatever its name.
     *
     * @param file a configuration file; messages name it as given
     * @param format the format
     * @param options the profile, environment and port allocator
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource file(Path file, ConfigFormat format, LoadOptions options) {
        return () -> new ConfigLoader(file, format, options).load();
    }

    /**
     * Returns a source reading the configuration file of the given project folder with the {@code dev} profile.
     *
     * @param projectDirectory the project folder
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource directory(Path projectDirectory) {
        return directory(projectDirectory, LoadOptions.defaults());
    }

    /**
     * Returns a source reading the configuration file of the given project folder.
     *
     * @param projectDirectory the project folder
     * @param options the profile, environment and port allocator
     * @return the source; nothing is read until {@link #load()}
     */
    static ConfigSource directory(Path projectDirectory, LoadOptions options) {
        return () -> ConfigLoader.loadDirectory(projectDirectory, options);
    }
}
