package dev.farm.process;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@code farm ps} shows of one service at one moment.
 *
 * @param service the service's name
 * @param kind how farm runs it
 * @param state its state
 * @param since when it entered that state, by the supervisor's clock
 * @param pid its current process's id, while it has one
 * @param port the port it listens on, after {@code auto} was resolved
 * @param incarnation how many processes farm has started for it so far
 * @param restarts how many of those were restarts after an ending or a liveness failure (manual restarts not
 *     counted)
 * @param processStart when its current process started
 * @param exitCode its last process's exit code, once one has ended
 * @param adopted whether farm found it already running and uses it without owning it
 * @param message the detail of its last event
 * @param lastHeartbeat when its current process last reported a heartbeat ({@link ProcessSupervisor#heartbeat(String)}),
 *     by the supervisor's clock; empty before the first report of that process
 * @since 0.1
 */
public record ServiceStatus(
        String service,
        ServiceKind kind,
        ServiceState state,
        Instant since,
        OptionalLong pid,
        OptionalInt port,
        int incarnation,
        int restarts,
        Optional<Instant> processStart,
        OptionalInt exitCode,
        boolean adopted,
        String message,
        Optional<Instant> lastHeartbeat) {

    /**
     * Validates the components.
     *
     * @param service the service's name
     * @param kind how farm runs it
     * @param state its state
     * @param since when it entered that state
     * @param pid its current process's id
     * @param port the port it listens on
     * @param incarnation how many processes farm has started for it
     * @param restarts how many of those were automatic restarts
     * @param processStart when its current process started
     * @param exitCode its last process's exit code
     * @param adopted whether farm uses it without owning it
     * @param message the detail of its last event
     * @param lastHeartbeat when its current process last reported a heartbeat
     */
    public ServiceStatus {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(processStart, "processStart");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }

    /**
     * Creates the status of a service that has not reported a heartbeat.
     *
     * @param service the service's name
     * @param kind how farm runs it
     * @param state its state
     * @param since when it entered that state
     * @param pid its current process's id
     * @param port the port it listens on
     * @param incarnation how many processes farm has started for it
     * @param restarts how many of those were automatic restarts
     * @param processStart when its current process started
     * @param exitCode its last process's exit code
     * @param adopted whether farm uses it without owning it
     * @param message the detail of its last event
     */
    public ServiceStatus(
            String service,
            ServiceKind kind,
            ServiceState state,
            Instant since,
            OptionalLong pid,
            OptionalInt port,
            int incarnation,
            int restarts,
            Optional<Instant> processStart,
            OptionalInt exitCode,
            boolean adopted,
            String message) {
        this(
                service,
                kind,
                state,
                since,
                pid,
                port,
                incarnation,
                restarts,
                processStart,
                exitCode,
                adopted,
                message,
                Optional.empty());
    }
}
