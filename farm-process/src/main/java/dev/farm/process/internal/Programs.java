package dev.farm.process.internal;

import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceStartException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds a service's program the way a shell would, with the service's own {@code PATH}, so a missing program is
 * reported by name instead of as a cryptic exit of {@code setsid}.
 */
final class Programs {

    private static final Pattern SEPARATOR = Pattern.compile(Pattern.quote(File.pathSeparator));

    private Programs() {}

    static String resolve(ServiceSpec spec, String program, Map<String, String> env) {
        if (program.contains("/") || program.contains(File.separator)) {
            Path path = spec.workingDirectory().resolve(program).normalize();
            if (isProgram(path)) {
                return path.toString();
            }
            String problem = Files.isDirectory(path)
                    ? " is a folder, not a program. Fix the command, or its cwd."
                    : Files.exists(path)
                            ? " is not executable. Make it executable (chmod +x)."
                            : " does not exist. Fix the command, or its cwd.";
            throw new ServiceStartException(
                    spec.name(), "service '" + spec.name() + "' could not start: " + path + problem, List.of(), null);
        }
        // An empty or relative PATH entry names a folder relative to where the program runs, as in a shell there.
        Optional<Path> found = SEPARATOR
                .splitAsStream(env.getOrDefault("PATH", ""))
                .map(folder -> spec.workingDirectory().resolve(folder.isEmpty() ? "." : folder))
                .map(folder -> folder.resolve(program))
                .filter(Programs::isProgram)
                .findFirst();
        if (found.isPresent()) {
            return found.get().toString();
        }
        boolean windows = File.separatorChar == '\\';
        if (windows) {
            return program; // PATHEXT rules: let the platform resolve it
        }
        throw new ServiceStartException(
                spec.name(),
                "service '" + spec.name() + "' could not start: program '" + program + "' was not found on PATH."
                        + " Install it, or fix the service's command.",
                List.of(),
                null);
    }

    private static boolean isProgram(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
