package dev.farm.cli.internal.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStats;
import dev.farm.process.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The JSON shape of a service's status and of a state change, as the control API and {@code farm ps --json} give it. */
public final class StatusJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {}

    /**
     * Describes one service.
     *
     * @param status what the supervisor says of it
     * @param stats a sample of its process tree's CPU and memory, if one was taken
     * @param group its group, such as {@code domains}
     * @param now the time to count uptime and the heartbeat's age to
     * @return the JSON object, fields in a fixed order
     */
    public static ObjectNode status(
            ServiceStatus status, Optional<ServiceStats> stats, Optional<String> group, Instant now) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", status.service());
        if (group.isPresent()) {
            node.put("group", group.get());
        } else {
            node.putNull("group");
        }
        node.put("kind", status.kind().name().toLowerCase(Locale.ROOT));
        node.put("state", state(status.state()));
        node.put("since", status.since().toString());
        if (status.pid().isPresent()) {
            node.put("pid", status.pid().getAsLong());
        } else {
            node.putNull("pid");
        }
        if (status.port().isPresent()) {
            node.put("port", status.port().getAsInt());
        } else {
            node.putNull("port");
        }
        boolean running = status.state().isRunning() && status.processStart().isPresent();
        if (running) {
            node.put("started", status.processStart().get().toString());
            node.put(
                    "uptime_ms",
                    Math.max(
                            0,
                            Duration.between(status.processStart().get(), now).toMillis()));
        } else {
            node.putNull("started");
            node.putNull("uptime_ms");
        }
        node.put("incarnation", status.incarnation());
        node.put("restarts", status.restarts());
        if (status.exitCode().isPresent()) {
            node.put("last_exit", status.exitCode().getAsInt());
        } else {
            node.putNull("last_exit");
        }
        if (status.lastHeartbeat().isPresent()) {
            Instant beat = status.lastHeartbeat().get();
            node.put("last_heartbeat", beat.toString());
            node.put("heartbeat_age_ms", Math.max(0, Duration.between(beat, now).toMillis()));
        } else {
            node.putNull("last_heartbeat");
            node.putNull("heartbeat_age_ms");
        }
        node.put("adopted", status.adopted());
        if (stats.isPresent() && stats.get().processes() > 0) {
            ServiceStats sample = stats.get();
            node.put("processes", sample.processes());
            node.put("cpu_percent", Math.round(sample.cpuPercent() * 10) / 10.0);
            node.put("cpu_time_ms", sample.cpuTime().toMillis());
            if (sample.rssBytes().isPresent()) {
                node.put("rss_bytes", sample.rssBytes().getAsLong());
            } else {
                node.putNull("rss_bytes");
            }
        } else {
            node.put("processes", 0);
            node.putNull("cpu_percent");
            node.putNull("cpu_time_ms");
            node.putNull("rss_bytes");
        }
        node.put("message", status.message());
        return node;
    }

    /**
     * Describes one state change.
     *
     * @param event the event
     * @return the JSON object
     */
    public static ObjectNode event(ServiceEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("service", event.service());
        node.put("state", state(event.state()));
        node.put("time", event.time().toString());
        if (event.pid().isPresent()) {
            node.put("pid", event.pid().getAsLong());
        } else {
            node.putNull("pid");
        }
        if (event.exitCode().isPresent()) {
            node.put("exit_code", event.exitCode().getAsInt());
        } else {
            node.putNull("exit_code");
        }
        node.put("incarnation", event.incarnation());
        node.put("message", event.message());
        return node;
    }

    /**
     * Names a state the way the API and {@code farm ps} do.
     *
     * @param state the state
     * @return its lower-case name
     */
    public static String state(ServiceState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
