package dev.farm.process;

import dev.farm.process.spi.HealthProbe;
import java.time.Duration;
import java.util.Objects;

/**
 * How farm tells that a ready service still works: a probe tried at its own period; after {@code failures} failed
 * attempts in a row the service counts as dead, its tree is stopped, and its restart policy decides what follows.
 *
 * @param probe the probe, for example {@link Probes#http(int, String)} or {@link Probes#heartbeat(Duration)}
 * @param every the period between attempts
 * @param failures how many failed attempts in a row mean the service is dead; at least 1
 * @since 0.1
 */
public record Liveness(HealthProbe probe, Duration every, int failures) {

    /**
     * Validates the components.
     *
     * @param probe the probe
     * @param every the period between attempts
     * @param failures how many failed attempts in a row mean the service is dead; at least 1
     */
    public Liveness {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every: " + every + " (expected: > 0)");
        }
        if (failures < 1) {
            throw new IllegalArgumentException("failures: " + failures + " (expected: >= 1)");
        }
    }
}
