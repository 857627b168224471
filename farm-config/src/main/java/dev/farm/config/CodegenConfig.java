package dev.farm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One job under {@code codegen}: where an OpenAPI document comes from and which TypeScript file to write.
 *
 * @param name the job's name
 * @param from where the document comes from
 * @param out the file to write, absolute
 * @param on globs, relative to the project folder, whose changes rerun the job
 * @param client whether a typed fetch client is emitted beside the types
 * @since 0.1
 */
public record CodegenConfig(String name, Source from, Path out, List<String> on, boolean client) {

    /**
     * Validates and copies the components.
     *
     * @param name the job's name
     * @param from where the document comes from
     * @param out the file to write, absolute
     * @param on globs whose changes rerun the job
     * @param client whether a typed fetch client is emitted
     */
    public CodegenConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(out, "out");
        on = List.copyOf(on);
    }

    /**
     * Where an OpenAPI document comes from ({@code from}).
     *
     * @since 0.1
     */
    public sealed interface Source {}

    /**
     * Fetched from a running service ({@code { service: NAME, path: /openapi.json }}).
     *
     * @param service the service's name
     * @param path the request path, starting with {@code /}
     */
    public record FromService(String service, String path) implements Source {}

    /**
     * Read from a file ({@code { file: PATH }}).
     *
     * @param file the file, absolute
     */
    public record FromFile(Path file) implements Source {}

    /**
     * The standard output of a command ({@code { command: COMMAND }}), run in the project folder.
     *
     * @param command the command
     */
    public record FromCommand(Command command) implements Source {}
}
