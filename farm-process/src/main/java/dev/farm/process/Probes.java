package dev.farm.process;

import dev.farm.process.internal.ExecProbe;
import dev.farm.process.internal.HeartbeatProbe;
import dev.farm.process.internal.HttpProbe;
import dev.farm.process.internal.LogLineProbe;
import dev.farm.process.internal.TcpProbe;
import dev.farm.process.spi.HealthProbe;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in readiness probes. The network ones check the loopback interface, IPv4 first and then IPv6, because
 * servers bound to {@code localhost} often listen on {@code ::1} only (Vite on Node 17+ does).
 *
 * @since 0.1
 */
public final class Probes {

    /** How long one attempt of a built-in probe may take. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    private Probes() {}

    /**
     * Passes once a TCP connection to the port succeeds.
     *
     * @param port 1-65535
     * @return the probe
     */
    public static HealthProbe tcp(int port) {
        return new TcpProbe(port, ATTEMPT_TIMEOUT);
    }

    /**
     * Passes once {@code GET http://127.0.0.1:PORT/PATH} answers with a 2xx or 3xx status.
     *
     * @param port 1-65535
     * @param path the request path, starting with {@code /}
     * @return the probe
     */
    public static HealthProbe http(int port, String path) {
        return new HttpProbe(port, path, ATTEMPT_TIMEOUT);
    }

    /**
     * Passes once a line the service prints (on stdout or stderr) matches the regular expression, for servers that
     * announce readiness but have no port to probe. The supervisor feeds the probe its service's output; use one probe
     * per service.
     *
     * @param regex a Java regular expression, found anywhere in a line
     * @return the probe
     * @throws java.util.regex.PatternSyntaxException when the expression is invalid
     */
    public static HealthProbe logLine(String regex) {
        return new LogLineProbe(regex);
    }

    /**
     * Passes once a request to the URL answers with a status in the range. A {@code localhost} URL tries 127.0.0.1,
     * then ::1. Redirects are not followed.
     *
     * @param url an {@code http://} or {@code https://} URL
     * @param method the request method, such as {@code GET} or {@code HEAD}
     * @param minStatus the lowest status that passes, such as 200
     * @param maxStatus the highest status that passes, such as 299
     * @param timeout the longest one attempt may take to connect, and then to answer
     * @return the probe
     */
    public static HealthProbe http(URI url, String method, int minStatus, int maxStatus, Duration timeout) {
        return new HttpProbe(url, method, minStatus, maxStatus, timeout);
    }

    /**
     * Passes once a request to the URL answers with one of the statuses. A {@code localhost} URL tries 127.0.0.1, then
     * ::1. Redirects are not followed.
     *
     * @param url an {@code http://} or {@code https://} URL
     * @param method the request method, such as {@code GET} or {@code HEAD}
     * @param statuses the statuses that pass, such as 200 and 401; empty for any 2xx or 3xx
     * @param timeout the longest one attempt may take to connect, and then to answer
     * @return the probe
     */
    public static HealthProbe http(URI url, String method, Set<Integer> statuses, Duration timeout) {
        return new HttpProbe(url, method, statuses, timeout);
    }

    /**
     * Passes when a command exits with 0, such as {@code pg_isready -h 127.0.0.1}. Each attempt runs it once; one still
     * running after {@link #ATTEMPT_TIMEOUT} is killed and counts as failed.
     *
     * @param command the program and its arguments, run without a shell
     * @param workingDirectory where it runs
     * @return the probe
     */
    public static HealthProbe command(List<String> command, Path workingDirectory) {
        return command(command, workingDirectory, ATTEMPT_TIMEOUT);
    }

    /**
     * Passes when a command exits with 0 within the timeout.
     *
     * @param command the program and its arguments, run without a shell
     * @param workingDirectory where it runs
     * @param timeout the longest one attempt may take
     * @return the probe
     */
    public static HealthProbe command(List<String> command, Path workingDirectory, Duration timeout) {
        return new ExecProbe(command, workingDirectory, timeout);
    }

    /**
     * Passes when a command, run with extra variables, exits with 0 within the timeout.
     *
     * @param command the program and its arguments, run without a shell
     * @param workingDirectory where it runs
     * @param environment variables set on top of farm's environment, such as the service's own
     * @param timeout the longest one attempt may take
     * @return the probe
     */
    public static HealthProbe command(
            List<String> command, Path workingDirectory, Map<String, String> environment, Duration timeout) {
        return new ExecProbe(command, workingDirectory, environment, timeout);
    }

    /**
     * Passes while the service's last heartbeat (see {@link ProcessSupervisor#heartbeat(String)}) is at most {@code
     * within} old. As a readiness probe it passes on the first heartbeat; as a liveness probe it fails once the service
     * stops reporting. The supervisor feeds it its own service's heartbeats; use one probe per service.
     *
     * @param within how often the service must report, at least
     * @return the probe
     */
    public static HealthProbe heartbeat(Duration within) {
        return heartbeat(within, Clock.systemUTC());
    }

    /**
     * Like {@link #heartbeat(Duration)}, timed by the given clock.
     *
     * @param within how often the service must report, at least
     * @param clock the clock that times the heartbeats
     * @return the probe
     */
    public static HealthProbe heartbeat(Duration within, Clock clock) {
        return new HeartbeatProbe(within, clock);
    }
}
