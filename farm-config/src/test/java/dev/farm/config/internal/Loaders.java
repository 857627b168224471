package dev.farm.config.internal;

import dev.farm.config.ConfigSource;
import dev.farm.config.LoadOptions;
import java.nio.file.Path;

/**
 * Gives tests outside this package what only this package may touch: a source whose discovery does not ask the
 * machine's {@code node} for its version, so unit tests start no process and do not depend on the node installed.
 */
public final class Loaders {

    private Loaders() {}

    /**
     * Returns a source reading the given file, its format chosen by its name.
     *
     * @param file the configuration file
     * @param options the profile, environment and port allocator
     * @param nodeStripsTypes what {@code node} is taken to answer: whether it runs {@code .ts} files itself
     * @return the source
     */
    public static ConfigSource file(Path file, LoadOptions options, boolean nodeStripsTypes) {
        return () -> new ConfigLoader(file, null, options, () -> nodeStripsTypes).load();
    }

    /**
     * Whether a {@code node --version} answer has {@code --experimental-strip-types}.
     *
     * @param version such as {@code v22.6.0}
     * @return whether it is 22.6 or newer
     */
    public static boolean supportsStripTypes(String version) {
        return Discovery.supportsStripTypes(version);
    }
}
