package dev.farm.config.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A configuration file format, found by file name: reads a file into the same tree a {@code farm.yaml} parses to,
 * which farm then validates, expands and resolves like any {@code farm.yaml}.
 *
 * <p>Third parties register an implementation in {@code META-INF/services/dev.farm.config.spi.ConfigFormat}. farm
 * asks each format for its {@link #fileNames()}; a format named explicitly by the caller wins, then those found by
 * {@link java.util.ServiceLoader}, then the built-in ones ({@code farm.yaml}, {@code farm.yml}, {@code farm.json},
 * {@code farm.config.js}, {@code farm.config.ts}, {@code Procfile}). Two loaded formats claiming one file name is an
 * error naming both classes; a provider that fails to load is skipped with a warning.
 *
 * <p>Implementations must be thread-safe; {@link #read} is called on the caller's thread.
 *
 * @since 0.1
 */
public interface ConfigFormat {

    /**
     * Returns the file names this format reads, in the order farm looks for them in a project folder.
     *
     * @return exact file names such as {@code farm.toml}, never empty
     */
    List<String> fileNames();

    /**
     * Reads a file into a tree of the {@code farm.yaml} shape.
     *
     * @param file the file, as the user named it
     * @return a mutable-or-not map whose values are maps, lists, strings, numbers, booleans or {@code null}, never
     *     {@code null}
     * @throws dev.farm.config.ConfigException when the file cannot be read or is not in this format; its problems
     *     name the file and, where known, line and column
     */
    Map<String, Object> read(Path file);
}
