package dev.farm.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The shaded farm.jar in child JVMs: a long-running {@code farm dev} and the one-shot commands that talk to it. */
final class FarmJar implements AutoCloseable {

    static final Path JAR = Path.of("target", "farm.jar").toAbsolutePath();

    private final List<Running> started = new CopyOnWriteArrayList<>();

    /** A farm that runs until stopped, its output read as it comes. */
    static final class Running {
        final Process process;
        final List<String> out = new CopyOnWriteArrayList<>();
        final List<String> err = new CopyOnWriteArrayList<>();

        Running(Process process) {
            this.process = process;
            read(process.getInputStream(), out, "out");
            read(process.getErrorStream(), err, "err");
        }

        private static void read(InputStream stream, List<String> lines, String name) {
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            // the process ended
                        }
                    },
                    "farm-jar-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            return String.join("\n", out) + "\n" + String.join("\n", err);
        }

        void awaitLine(Predicate<String> line) {
            await().atMost(Duration.ofSeconds(60))
                    .failFast("farm exited:\n" + "(see output)", () -> !process.isAlive())
                    .until(() -> out.stream().anyMatch(line));
        }

        void awaitReady() {
            awaitLine(line -> line.contains(" ready in ") && line.contains("all "));
        }

        long pid() {
            return process.pid();
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(90, TimeUnit.SECONDS))
                    .as("farm exits; its output:\n%s", output())
                    .isTrue();
            return process.exitValue();
        }
    }

    /** A one-shot command's result. */
    record Result(int code, String out, String err) {}

    Running start(Path dir, String... args) throws IOException {
        Process process =
                new ProcessBuilder(command(args)).directory(dir.toFile()).start();
        process.getOutputStream().close();
        Running running = new Running(process);
        started.add(running);
        return running;
    }

    Result run(Path dir, String... args) throws Exception {
        Process process =
                new ProcessBuilder(command(args)).directory(dir.toFile()).start();
        process.getOutputStream().close();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(90, TimeUnit.SECONDS))
                .as("farm %s ends", List.of(args))
                .isTrue();
        return new Result(
                process.exitValue(),
                new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.addAll(List.of(FixtureProcess.javaExecutable().toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() throws InterruptedException {
        for (Running running : started) {
            if (running.process.isAlive()) {
                running.process.destroy(); // SIGTERM: farm stops its stack
                if (!running.process.waitFor(60, TimeUnit.SECONDS)) {
                    running.process.destroyForcibly();
                }
            }
        }
    }
}
