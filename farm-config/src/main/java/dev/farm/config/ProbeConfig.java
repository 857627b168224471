package dev.farm.config;

import java.time.Duration;

/**
 * A service's {@code ready:} check: {@code { tcp: PORT }} or {@code { http: PATH }}, with an optional
 * {@code timeout} for how long farm waits for it to pass.
 *
 * @since 0.1
 */
public sealed interface ProbeConfig {

    /** The default {@code timeout}: how long farm waits for a service to become ready. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Returns how long farm waits for the check to pass before it gives the service up.
     *
     * @return a positive duration
     */
    Duration timeout();

    /**
     * Ready once a TCP connection to the port on the loopback interface succeeds.
     *
     * @param port the port, 1-65535
     * @param timeout how long to wait for it
     */
    record Tcp(int port, Duration timeout) implements ProbeConfig {

        /**
         * Validates the port and the timeout.
         *
         * @param port the port, 1-65535
         * @param timeout how long to wait for it
         */
        public Tcp {
            checkPort(port);
            checkTimeout(timeout);
        }
    }

    /**
     * Ready once {@code GET http://127.0.0.1:PORT/PATH} answers with a 2xx or 3xx status, where {@code PORT} is the
     * service's {@code port}.
     *
     * @param path the request path, starting with {@code /}
     * @param timeout how long to wait for it
     */
    record Http(String path, Duration timeout) implements ProbeConfig {

        /**
         * Validates the path and the timeout.
         *
         * @param path the request path, starting with {@code /}
         * @param timeout how long to wait for it
         */
        public Http {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
            }
            checkTimeout(timeout);
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
    }
}
