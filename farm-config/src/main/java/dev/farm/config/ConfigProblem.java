package dev.farm.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One mistake in a configuration file, with where it is and what to do about it.
 *
 * <p>{@link #toString()} renders it the way farm prints it:
 * {@code farm.yaml:14:11: services.api.port: expected an integer 1-65535, found "80a". Fix the value.}
 *
 * @param file the file, as the user named it
 * @param line the 1-based line, or 0 when the problem concerns the whole file
 * @param column the 1-based column, or 0 when unknown
 * @param path the dotted key path such as {@code services.api.port}, or empty for the whole file
 * @param message what is wrong and what to do, as full sentences
 * @since 0.1
 */
public record ConfigProblem(Path file, int line, int column, String path, String message) {

    /**
     * Validates the components.
     *
     * @param file the file, as the user named it
     * @param line the 1-based line, or 0 when the problem concerns the whole file
     * @param column the 1-based column, or 0 when unknown
     * @param path the dotted key path such as {@code services.api.port}, or empty for the whole file
     * @param message what is wrong and what to do, as full sentences
     */
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line/column: " + line + ":" + column + " (expected: >= 0)");
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder().append(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
