package dev.farm.process;

import java.time.Duration;
import java.util.List;

/**
 * A service's readiness probe did not pass before its deadline.
 *
 * <p>The message reads: {@code service 'api' was not ready after 30s: GET http://127.0.0.1:8000/health should return
 * 2xx or 3xx, last attempt: connection refused.}
 *
 * @since 0.1
 */
public final class ProbeTimeoutException extends ServiceStartException {

    private static final long serialVersionUID = 1L;

    /** What the probe checks. */
    private final String probe;

    /** How long the supervisor waited. */
    private final Duration timeout;

    /** Why the last attempt failed. */
    private final String lastFailure;

    /**
     * Creates the exception.
     *
     * @param service the service's name
     * @param probe the probe's description
     * @param timeout how long the supervisor waited
     * @param lastFailure why the last attempt failed
     * @param lastLines the service's last output lines, oldest first
     */
    public ProbeTimeoutException(
            String service, String probe, Duration timeout, String lastFailure, List<String> lastLines) {
        super(
                service,
                "service '" + service + "' was not ready after " + format(timeout) + ": " + probe + ", last attempt: "
                        + lastFailure + ".",
                lastLines,
                null);
        this.probe = probe;
        this.timeout = timeout;
        this.lastFailure = lastFailure;
    }

    /**
     * Returns what the probe checks.
     *
     * @return the probe's description, never {@code null}
     */
    public String probe() {
        return probe;
    }

    /**
     * Returns how long the supervisor waited.
     *
     * @return the timeout, never {@code null}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns why the last attempt failed.
     *
     * @return the reason, never {@code null}
     */
    public String lastFailure() {
        return lastFailure;
    }

    /** Formats a timeout the way config files write it: {@code 30s}, {@code 1500ms}, {@code 2m}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
