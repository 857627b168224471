package dev.farm.codegen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pinned Node.js tools of src/test/node (TypeScript, openapi-typescript), installed with {@code npm ci} into
 * target/node-tools. Without node the checks are skipped with a message, except under CI=true, where that fails.
 */
final class NodeTools {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path HOME = MODULE.resolve("target/node-tools");

    record Run(int exitCode, String output) {}

    private NodeTools() {}

    /** Installs the tools once per build; skips (or fails under CI) when node or npm is missing. */
    static synchronized Path install() {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean haveNode = found("node") && found("npm");
        if (!haveNode) {
            String message = "node and npm are needed for the TypeScript checks (Debian: apt-get install nodejs npm)";
            assertThat(ci).as(message + "; under CI=true a skip is a failure").isFalse();
            assumeTrue(false, message + "; skipped");
        }
        try {
            Path source = MODULE.resolve("src/test/node");
            Files.createDirectories(HOME);
            byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
            Path stamp = HOME.resolve("installed-lock.json");
            boolean current = Files.exists(stamp)
                    && java.util.Arrays.equals(Files.readAllBytes(stamp), lock)
                    && Files.isDirectory(HOME.resolve("node_modules/typescript"));
            try (var files = Files.list(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, HOME.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!current) {
                Run npm = run(HOME, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
                assertThat(npm.exitCode())
                        .as("npm ci in " + HOME + ":\n" + npm.output())
                        .isZero();
                Files.write(stamp, lock);
            }
            return HOME;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run node(Path dir, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        return run(dir, timeoutSeconds, command.toArray(String[]::new));
    }

    static Run run(Path dir, long timeoutSeconds, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " ran past " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), output.get(60, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean found(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator, -1)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
