package dev.farm.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's {@code ready:} or {@code alive:} probe: one check and its timing.
 *
 * @param check what one attempt does
 * @param timeout for {@code ready}, how long farm waits for the service to become ready; for {@code alive}, how long
 *     one check may take
 * @param every the time between checks, if the file sets one ({@code every}); farm's adaptive default otherwise
 * @param failures consecutive failed checks before the service counts as dead ({@code failures}, alive only; 1 for
 *     ready)
 * @since 0.1
 */
public record ProbeConfig(Check check, Duration timeout, Optional<Duration> every, int failures) {

    /** The default {@code timeout} of a {@code ready} probe: how long farm waits for a service to become ready. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The default {@code timeout} of one {@code alive} check. */
    public static final Duration DEFAULT_ALIVE_TIMEOUT = Duration.ofSeconds(5);

    /** The default {@code every} of an {@code alive} probe. */
    public static final Duration DEFAULT_ALIVE_EVERY = Duration.ofSeconds(10);

    /** The default {@code failures} of an {@code alive} probe. */
    public static final int DEFAULT_ALIVE_FAILURES = 3;

    /**
     * Validates the components.
     *
     * @param check what one attempt does
     * @param timeout how long to wait (ready) or how long one check may take (alive); positive
     * @param every the time between checks, if set; positive
     * @param failures consecutive failed checks before the service counts as dead, at least 1
     */
    public ProbeConfig {
        Objects.requireNonNull(check, "check");
        requirePositive(timeout, "timeout");
        every.ifPresent(e -> requirePositive(e, "every"));
        if (failures < 1) {
            throw new IllegalArgumentException("failures: " + failures + " (expected: >= 1)");
        }
    }

    /**
     * Returns a ready probe with the default timing.
     *
     * @param check the check
     * @return the probe
     */
    public static ProbeConfig ready(Check check) {
        return new ProbeConfig(check, DEFAULT_TIMEOUT, Optional.empty(), 1);
    }

    /**
     * One attempt of a probe.
     *
     * @since 0.1
     */
    public sealed interface Check {}

    /**
     * Passes once a TCP connection to the port on the loopback interface succeeds ({@code tcp: PORT}).
     *
     * @param port the port, 1-65535
     */
    public record Tcp(int port) implements Check {

        /**
         * Validates the port.
         *
         * @param port the port, 1-65535
         */
        public Tcp {
            ServiceConfig.checkPort(port, "port");
        }
    }

    /**
     * Passes when an HTTP request answers with an accepted status ({@code http: PATH} or {@code http: URL}).
     *
     * <p>A path in the file becomes {@code http://localhost:PORT/PATH}, where {@code localhost} means "the loopback
     * interface, IPv4 or IPv6".
     *
     * @param url the URL to request
     * @param method the request method, such as {@code GET}
     * @param statuses the accepted statuses; empty means any 2xx or 3xx
     */
    public record Http(URI url, String method, List<Integer> statuses) implements Check {

        /**
         * Validates and copies the components.
         *
         * @param url the URL to request
         * @param method the request method, such as {@code GET}
         * @param statuses the accepted statuses; empty means any 2xx or 3xx
         */
        public Http {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(method, "method");
            statuses = List.copyOf(statuses);
        }

        /**
         * Returns whether the URL names the loopback interface by the name {@code localhost}, so either family may be
         * tried.
         *
         * @return whether the host is {@code localhost}
         */
        public boolean isLoopback() {
            return "localhost".equals(url.getHost());
        }
    }

    /**
     * Passes once a line of the service's output matches ({@code log: REGEX}).
     *
     * @param regex a Java regular expression, already checked to compile
     */
    public record LogLine(String regex) implements Check {}

    /**
     * Passes when a command exits 0 ({@code exec: COMMAND}).
     *
     * @param command the command, run in the service's folder and environment
     */
    public record Exec(Command command) implements Check {}

    /**
     * Passes while the service calls farm's control API at least once per interval ({@code heartbeat: DURATION}).
     *
     * @param interval the longest time between two heartbeats
     */
    public record Heartbeat(Duration interval) implements Check {}

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + ": " + duration + " (expected: > 0)");
        }
    }
}
