package dev.farm.process;

import dev.farm.process.internal.Diagnostics;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process that listens on a TCP port, as farm's own check before a start names it: {@code pid 4242 (uvicorn
 * main:app)}.
 *
 * <p>On Linux the listening sockets come from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (LISTEN only, so
 * connections lingering in TIME_WAIT do not count) and their owner from {@code /proc/PID/fd}, which only the same user
 * (or root) can read: a port held by another user's process is reported busy without a pid. Elsewhere farm tries to
 * bind the port and, when it cannot, says it is busy without naming the holder.
 *
 * @param pid the holder's process id; empty when the port is busy but its holder cannot be named
 * @param command the holder's command line, shortened when long; empty when unknown
 * @since 0.1
 */
public record PortHolder(OptionalLong pid, String command) {

    /**
     * Validates the components.
     *
     * @param pid the holder's process id, if known
     * @param command its command line; empty when unknown
     */
    public PortHolder {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(command, "command");
    }

    /**
     * Returns who listens on a port, now.
     *
     * @param port 1-65535
     * @return the holder, or empty when the port is free
     * @throws IllegalArgumentException when the port is out of range
     */
    public static Optional<PortHolder> of(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return Diagnostics.portHolder(port);
    }

    /**
     * Describes the holder for a message: {@code pid 4242 (uvicorn main:app)}, or {@code another process}.
     *
     * @return the description, never {@code null}
     */
    public String describe() {
        if (pid.isEmpty()) {
            return "another process";
        }
        return "pid " + pid.getAsLong() + (command.isEmpty() ? "" : " (" + command + ")");
    }
}
