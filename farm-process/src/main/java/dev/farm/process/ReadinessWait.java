package dev.farm.process;

import java.time.Instant;
import java.util.Objects;

/**
 * What a starting service waits for: its readiness probe has not passed yet. {@link ProcessSupervisor#waiting(String)}
 * returns it, so a terminal can say {@code api: waiting for GET /health — connection refused, 2.1 s}.
 *
 * @param service the service's name
 * @param probe what passing means, the probe's {@link dev.farm.process.spi.HealthProbe#description()}
 * @param lastAttempt why the last attempt failed, such as {@code connection refused}; empty before the first attempt
 *     has ended
 * @param since when farm began to poll the probe, by the supervisor's clock
 * @param attempts how many attempts have failed so far
 * @since 0.1
 */
public record ReadinessWait(String service, String probe, String lastAttempt, Instant since, int attempts) {

    /**
     * Validates the components.
     *
     * @param service the service's name
     * @param probe what passing means
     * @param lastAttempt why the last attempt failed; empty before the first attempt has ended
     * @param since when farm began to poll the probe
     * @param attempts how many attempts have failed so far, at least 0
     */
    public ReadinessWait {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(since, "since");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
        }
    }
}
