package dev.farm.config.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's root folder from the working folder, which Maven sets to the module's folder. */
final class RepositoryRoot {

    private RepositoryRoot() {}

    /**
     * Returns the nearest folder, from the working folder up, that holds both {@code farm-config} and {@code docs}.
     *
     * @return the repository root, absolute
     */
    static Path find() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("farm-config")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder holding farm-config and docs) at or above "
                + start + ". Run the tests from the repository or its farm-config folder, as Maven does.");
    }
}
