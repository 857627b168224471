package dev.farm.config;

import java.util.List;
import java.util.Objects;

/**
 * What a service runs: a {@code command:} written as one string is a shell script, a list is an argument vector.
 *
 * @since 0.1
 */
public sealed interface Command {

    /**
     * A command written as one string, such as {@code npm run dev -- --port 3000}; it runs through the platform's
     * shell ({@code /bin/sh -c} on Linux and macOS), so pipes, globs and {@code &&} work.
     *
     * @param script the command line, never blank
     */
    record Shell(String script) implements Command {

        /**
         * Rejects a blank script.
         *
         * @param script the command line, never blank
         */
        public Shell {
            if (script.isBlank()) {
                throw new IllegalArgumentException("script: blank (expected: a command line)");
            }
        }
    }

    /**
     * A command written as a list, such as {@code [java, Api.java]}; the first element is the program, found on
     * {@code PATH}, and no shell is involved, so nothing is expanded.
     *
     * @param argv the program and its arguments, never empty
     */
    record Exec(List<String> argv) implements Command {

        /**
         * Rejects an empty argument vector and copies it.
         *
         * @param argv the program and its arguments, never empty
         */
        public Exec {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv: empty (expected: a program and its arguments)");
            }
            Objects.requireNonNull(argv.get(0));
        }
    }
}
