package dev.farm.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an end-to-end test needs from the machine. A missing program skips the test with a message naming the Debian
 * package that has it; under {@code CI=true} (which {@code .ci/run} sets) it fails the test instead, because CI
 * installs everything and a skip there would hide a broken install.
 */
public final class Prerequisites {

    private Prerequisites() {}

    /**
     * Finds a program on the {@code PATH} (or at an absolute path), or skips / fails the test.
     *
     * @param program a name such as {@code chromium}, or an absolute path
     * @param debianPackage the package that installs it, for the message
     * @return the executable
     */
    public static Path program(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            missing(program + " is not installed", "apt-get install " + debianPackage);
        }
        return found.orElseThrow();
    }

    /**
     * Checks a condition the tests need, such as a Python module, or skips / fails the test.
     *
     * @param present whether it is there
     * @param what what is missing, as in "python3 cannot import fastapi"
     * @param fix the command that installs it
     */
    public static void require(boolean present, String what, String fix) {
        if (!present) {
            missing(what, fix);
        }
    }

    /**
     * Finds a program on the {@code PATH}.
     *
     * @param program a name or an absolute path
     * @return the executable, if there is one
     */
    public static Optional<Path> find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator, -1)) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void missing(String what, String fix) {
        String message = what + "; install it with: " + fix;
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and " + message + " (.ci/run installs it)");
        }
        abort("skipped: " + message);
    }
}
