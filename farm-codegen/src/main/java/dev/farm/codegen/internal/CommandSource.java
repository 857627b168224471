package dev.farm.codegen.internal;

import dev.farm.codegen.CodegenException;
import dev.farm.codegen.Diagnostic;
import dev.farm.codegen.OpenApiSource;
import dev.farm.codegen.OpenApiText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** {@link OpenApiSource#command}: runs the command, reads its stdout, kills its process tree past the deadline. */
public final class CommandSource implements OpenApiSource {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final List<String> command;
    private final Path directory;
    private final Duration timeout;

    /**
     * Creates the source.
     *
     * @param command the program and its arguments
     * @param directory the working directory
     * @param timeout how long it may run
     */
    public CommandSource(List<String> command, Path directory, Duration timeout) {
        this.command = List.copyOf(command);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (this.command.isEmpty()) {
            throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
        }
    }

    @Override
    public OpenApiText read() {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .start();
        } catch (IOException e) {
            throw fail(
                    "cannot start it: " + e.getMessage() + ". Check that " + command.get(0)
                            + " is installed and on the PATH.",
                    e);
        }
        CompletableFuture<byte[]> stdout = drain(process.getInputStream(), "stdout");
        CompletableFuture<byte[]> stderr = drain(process.getErrorStream(), "stderr");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw fail(
                        "still running after " + timeout.toMillis() + " ms, killed it. Does it wait for input or"
                                + " start a server? It should print the document and exit.",
                        null);
            }
            byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String err =
                    new String(stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw fail(
                        "exited with code " + process.exitValue() + (err.isEmpty() ? "" : ", stderr: " + lastLines(err))
                                + ". Fix the error, then try again.",
                        null);
            }
            return new OpenApiText(
                    new String(out, StandardCharsets.UTF_8),
                    directory.toAbsolutePath().toUri(),
                    description());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            throw fail("interrupted while it ran.", e);
        } catch (ExecutionException | TimeoutException e) {
            kill(process);
            throw fail("cannot read its output: " + e + ".", e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String lastLines(String text) {
        String[] lines = text.split("\n", -1);
        int from = Math.max(0, lines.length - 5);
        return String.join(" | ", java.util.Arrays.asList(lines).subList(from, lines.length));
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<byte[]> drain(InputStream in, String name) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try (in) {
                        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                        in.transferTo(buffer);
                        result.complete(buffer.toByteArray());
                    } catch (IOException e) {
                        result.completeExceptionally(new UncheckedIOException(e));
                    }
                },
                "farm-codegen-" + name + "-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private CodegenException fail(String message, @Nullable Throwable cause) {
        return new CodegenException(
                new Diagnostic(description(), "", "command " + description() + ": " + message), cause);
    }

    @Override
    public String description() {
        return String.join(" ", command);
    }

    @Override
    public String toString() {
        return "command " + description();
    }
}
