package dev.farm.process.internal;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Passes while the service reports itself alive often enough: its last heartbeat, delivered through the supervisor
 * ({@link dev.farm.process.ProcessSupervisor#heartbeat(String)}), is at most {@code within} old. Before the first
 * heartbeat of an incarnation it fails, so as a readiness probe it passes on the first report.
 */
public final class HeartbeatProbe implements HealthProbe {

    private final Duration within;
    private final Clock clock;
    private volatile @Nullable Instant last;

    /**
     * Creates the probe.
     *
     * @param within how old the last heartbeat may be
     * @param clock the clock heartbeats are timed with
     */
    public HeartbeatProbe(Duration within, Clock clock) {
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("within: " + within + " (expected: > 0)");
        }
        this.within = within;
        this.clock = clock;
    }

    /** Records a heartbeat now. */
    public void beat() {
        last = clock.instant();
    }

    /** Forgets the heartbeats of an earlier incarnation. */
    void reset() {
        last = null;
    }

    @Override
    public ProbeResult check() {
        Instant seen = last;
        if (seen == null) {
            return ProbeResult.fail("no heartbeat yet");
        }
        Duration age = Duration.between(seen, clock.instant());
        if (age.compareTo(within) > 0) {
            return ProbeResult.fail("last heartbeat " + age.toMillis() + " ms ago");
        }
        return ProbeResult.pass();
    }

    @Override
    public String description() {
        return "the service should report a heartbeat at least every " + within.toMillis() + " ms";
    }

    @Override
    public String toString() {
        return "heartbeat:" + within;
    }
}
