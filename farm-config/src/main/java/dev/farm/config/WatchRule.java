package dev.farm.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a service's {@code watch} list: which file changes do what.
 *
 * @param base the folder the globs are relative to (the service's {@code cwd}), absolute
 * @param paths globs of the files whose change triggers the rule, never empty
 * @param ignore globs of files that never count
 * @param action what a change does
 * @since 0.1
 */
public record WatchRule(Path base, List<String> paths, List<String> ignore, Action action) {

    /**
     * Validates and copies the components.
     *
     * @param base the folder the globs are relative to (the service's {@code cwd}), absolute
     * @param paths globs of the files whose change triggers the rule, never empty
     * @param ignore globs of files that never count
     * @param action what a change does
     */
    public WatchRule {
        Objects.requireNonNull(base, "base");
        paths = List.copyOf(paths);
        ignore = List.copyOf(ignore);
        Objects.requireNonNull(action, "action");
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("paths: empty (expected: at least one glob)");
        }
    }

    /**
     * What a change does ({@code do}).
     *
     * @since 0.1
     */
    public sealed interface Action {}

    /** Restart the service ({@code do: restart}). */
    public record Restart() implements Action {}

    /** Restart the service and every service that depends on it ({@code do: cascade}). */
    public record Cascade() implements Action {}

    /**
     * Run a command in the service's folder ({@code do: { run: COMMAND }}).
     *
     * @param command the command
     */
    public record Run(Command command) implements Action {}

    /**
     * Run a codegen job ({@code do: { codegen: NAME }}).
     *
     * @param job the job's name under {@code codegen}
     */
    public record Codegen(String job) implements Action {}

    /**
     * Call the service, falling back when the call fails ({@code do: { http: "POST /reload", fallback: restart }}).
     *
     * @param method the request method
     * @param path the request path, starting with {@code /}
     * @param fallback what to do when the call fails or answers an error, if anything
     */
    public record Http(String method, String path, Optional<Action> fallback) implements Action {}
}
