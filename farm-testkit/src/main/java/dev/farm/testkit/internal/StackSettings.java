package dev.farm.testkit.internal;

import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What stack to run and how.
 *
 * @param description what the stack is, for messages: its path, or "a programmatic stack"
 * @param config makes the configuration, once per test class
 * @param proxy whether the configuration's proxy runs (on a free port)
 */
public record StackSettings(String description, Supplier<FarmConfig> config, boolean proxy) {

    /**
     * Validates the components.
     *
     * @param description what the stack is
     * @param config makes the configuration
     * @param proxy whether the proxy runs
     */
    public StackSettings {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(config, "config");
    }

    /**
     * Loads the configuration at a path: a file, or a directory with a {@code farm.yaml}.
     *
     * @param path the path, relative to the working directory
     * @param where what to name in a message, such as {@code @FarmStack("x") on FooTest}
     * @return the configuration
     * @throws ExtensionConfigurationException when nothing is at the path
     * @throws dev.farm.config.ConfigException when the configuration is invalid, with farm's message
     */
    public static FarmConfig load(Path path, String where) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return ConfigSource.directory(absolute).load();
        }
        if (Files.isRegularFile(absolute)) {
            return ConfigSource.file(absolute).load();
        }
        throw new ExtensionConfigurationException(where + ": nothing at " + absolute
                + " (expected: a farm.yaml or the directory that holds it; relative paths start at the working directory "
                + Path.of("").toAbsolutePath() + "). Fix the path.");
    }
}
