package dev.farm.cli.internal;

import dev.farm.config.Command;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds programs on a {@code PATH}, as a shell would, for {@code farm doctor} and optional services. */
final class Programs {

    /** A word a shell runs as it is: no quoting, expansion or operator in it. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9._/+-]+");

    private Programs() {}

    /**
     * Finds a program on the environment's {@code PATH}, with Windows' {@code PATHEXT} extensions there.
     *
     * @param env the environment whose {@code PATH} (or Windows' {@code Path}) is searched
     * @param windows whether this is Windows
     * @param program the program's name, without a folder
     * @return the executable file, or empty when no folder of the path has it
     */
    static Optional<Path> which(Map<String, String> env, boolean windows, String program) {
        String path = env.getOrDefault("PATH", env.getOrDefault("Path", ""));
        List<String> extensions = new ArrayList<>(List.of(""));
        if (windows) {
            for (String extension :
                    env.getOrDefault("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(";", -1)) {
                if (!extension.isEmpty()) {
                    extensions.add(extension.toLowerCase(Locale.ROOT));
                }
            }
        }
        for (String folder : path.split(java.io.File.pathSeparator, -1)) {
            if (folder.isEmpty()) {
                continue;
            }
            for (String extension : extensions) {
                Path candidate;
                try {
                    candidate = Path.of(folder, program + extension);
                } catch (InvalidPathException e) {
                    continue;
                }
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the program a command runs first, when that can be told for sure: a list's first element, or a shell
     * command's first word when it is a plain word (not {@code VAR=value}, not quoted, no {@code $}).
     *
     * @param command the command
     * @return the program as written, possibly with a folder; empty when a shell decides
     */
    static Optional<String> first(Command command) {
        if (command instanceof Command.Exec exec) {
            return exec.argv().isEmpty()
                    ? Optional.empty()
                    : Optional.of(exec.argv().get(0));
        }
        String script = ((Command.Shell) command).script().strip();
        String word = script.split("\\s+", 2)[0];
        if (word.isEmpty() || !PLAIN_WORD.matcher(word).matches() || word.contains("=")) {
            return Optional.empty();
        }
        return Optional.of(word);
    }

    /**
     * Tells whether a program as a command writes it can be run: a path to an executable file, or a name on the
     * {@code PATH}.
     *
     * @param env the environment whose {@code PATH} is searched
     * @param windows whether this is Windows
     * @param directory the folder the command runs in, for a relative path such as {@code ./bin/api}
     * @param program the program as written
     * @return whether it is there
     */
    static boolean installed(Map<String, String> env, boolean windows, Path directory, String program) {
        if (program.contains("/") || (windows && program.contains("\\"))) {
            Path file;
            try {
                file = directory.resolve(program);
            } catch (InvalidPathException e) {
                return true; // not ours to judge: the start reports it
            }
            return Files.isRegularFile(file) && Files.isExecutable(file);
        }
        return which(env, windows, program).isPresent();
    }
}
