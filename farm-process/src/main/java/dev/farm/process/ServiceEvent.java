package dev.farm.process;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A service entered a new {@link ServiceState}, or reports progress in the one it is in.
 *
 * <p>Each process farm starts for a service is a new incarnation, numbered from 1, with its own pid and start time: a
 * restarted service shows a higher {@code incarnation} and a different {@code pid} in its events.
 *
 * @param service the service's name
 * @param state the state it entered
 * @param time when, by the supervisor's clock
 * @param pid its current process's id, once it has a process
 * @param exitCode its process's exit code, once the process has ended
 * @param message a short human-readable detail: the command when starting, the probe when ready, the reason when
 *     failed, the delay when restarting; may be empty
 * @param incarnation which process of the service this is about, from 1; 0 before the first one started
 * @param processStart when that process started, by the supervisor's clock
 * @param lastLines for {@link ServiceState#FAILED}, the service's last lines of standard error (or of its output, if
 *     it wrote nothing there), at most 20; empty otherwise
 * @since 0.1
 */
public record ServiceEvent(
        String service,
        ServiceState state,
        Instant time,
        OptionalLong pid,
        OptionalInt exitCode,
        String message,
        int incarnation,
        Optional<Instant> processStart,
        List<String> lastLines) {

    /**
     * Validates the components.
     *
     * @param service the service's name
     * @param state the state it entered
     * @param time when, by the supervisor's clock
     * @param pid its current process's id, once it has a process
     * @param exitCode its process's exit code, once the process has ended
     * @param message a short human-readable detail; may be empty
     * @param incarnation which process of the service this is about, from 1; 0 before the first one started
     * @param processStart when that process started
     * @param lastLines for {@link ServiceState#FAILED}, its last lines; empty otherwise
     */
    public ServiceEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(message, "message");
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation: " + incarnation + " (expected: >= 0)");
        }
        Objects.requireNonNull(processStart, "processStart");
        lastLines = List.copyOf(lastLines);
    }

    /**
     * Creates an event without incarnation details, for tests and tools that make their own events.
     *
     * @param service the service's name
     * @param state the state it entered
     * @param time when
     * @param pid its process id, if any
     * @param exitCode its exit code, if any
     * @param message a short detail; may be empty
     */
    public ServiceEvent(
            String service, ServiceState state, Instant time, OptionalLong pid, OptionalInt exitCode, String message) {
        this(service, state, time, pid, exitCode, message, 0, Optional.empty(), List.of());
    }
}
