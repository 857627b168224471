package dev.farm.process.internal;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Passes when a command exits with 0, as {@code pg_isready} does once PostgreSQL accepts connections. Each attempt runs
 * the command once, bounded by the attempt's timeout; a command still running then is killed with all its children.
 */
public final class ExecProbe implements HealthProbe {

    /** How much of the command's output a failure quotes. */
    private static final int QUOTED = 200;

    private final List<String> command;
    private final Path workingDirectory;
    private final Duration timeout;
    private final java.util.Map<String, String> environment;

    /**
     * Creates the probe.
     *
     * @param command the program and its arguments
     * @param workingDirectory where it runs
     * @param timeout the longest one attempt may take
     */
    public ExecProbe(List<String> command, Path workingDirectory, Duration timeout) {
        this(command, workingDirectory, java.util.Map.of(), timeout);
    }

    /**
     * Creates the probe with variables set on top of farm's environment, such as the service's own.
     *
     * @param command the program and its arguments
     * @param workingDirectory where it runs
     * @param environment variables for the command
     * @param timeout the longest one attempt may take
     */
    public ExecProbe(
            List<String> command, Path workingDirectory, java.util.Map<String, String> environment, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: empty (expected: a program and its arguments)");
        }
        this.command = List.copyOf(command);
        this.workingDirectory = workingDirectory;
        this.timeout = timeout;
        this.environment = java.util.Map.copyOf(environment);
    }

    @Override
    public ProbeResult check() throws InterruptedException {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            return ProbeResult.fail("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try (InputStream out = process.getInputStream()) {
            // The output is read on this thread after the exit; a probe's output is small, the pipe holds it.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return ProbeResult.fail("still running after " + timeout.toMillis() + " ms");
            }
            int code = process.exitValue();
            if (code == 0) {
                return ProbeResult.pass();
            }
            String text = new String(out.readNBytes(4096), StandardCharsets.UTF_8).strip();
            int newline = text.lastIndexOf('\n');
            String last = newline < 0 ? text : text.substring(newline + 1);
            if (last.length() > QUOTED) {
                last = last.substring(0, QUOTED) + "...";
            }
            return ProbeResult.fail("exit code " + code + (last.isEmpty() ? "" : ": " + last));
        } catch (IOException e) {
            return ProbeResult.fail("exit code " + process.exitValue());
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static java.io.File nullFile() {
        boolean windows = java.io.File.separatorChar == '\\';
        return new java.io.File(windows ? "NUL" : "/dev/null");
    }

    @Override
    public String description() {
        return "the command '" + String.join(" ", command) + "' should exit with 0";
    }

    @Override
    public String toString() {
        return "exec:" + String.join(" ", command);
    }
}
