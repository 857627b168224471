package dev.farm.process;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A service entered a new {@link ServiceState}.
 *
 * @param service the service's name
 * @param state the state it entered
 * @param time when, by the supervisor's clock
 * @param pid its process id, once it has a process
 * @param exitCode its process's exit code, once the process has ended
 * @param message a short human-readable detail: the command when starting, the probe when ready, the reason when
 *     failed; may be empty
 * @since 0.1
 */
public record ServiceEvent(
        String service, ServiceState state, Instant time, OptionalLong pid, OptionalInt exitCode, String message) {

    /**
     * Validates the components.
     *
     * @param service the service's name
     * @param state the state it entered
     * @param time when, by the supervisor's clock
     * @param pid its process id, once it has a process
     * @param exitCode its process's exit code, once the process has ended
     * @param message a short human-readable detail: the command when starting, the probe when ready, the reason when
     *     failed; may be empty
     */
    public ServiceEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(message, "message");
    }
}
