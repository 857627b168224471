package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatProbeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final HeartbeatProbe probe = new HeartbeatProbe(Duration.ofSeconds(5), clock);

    @Test
    void failsUntilTheFirstHeartbeat() {
        assertThat(probe.check().passed()).isFalse();
        assertThat(probe.check().detail()).isEqualTo("no heartbeat yet");

        probe.beat();

        assertThat(probe.check().passed()).isTrue();
    }

    @Test
    void passesWhileTheLastHeartbeatIsRecentEnough() {
        probe.beat();
        clock.advance(Duration.ofSeconds(5));
        assertThat(probe.check().passed()).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(probe.check().passed()).isFalse();
        assertThat(probe.check().detail()).isEqualTo("last heartbeat 5001 ms ago");

        probe.beat();
        assertThat(probe.check().passed()).isTrue();
    }

    @Test
    void aNewIncarnationStartsWithoutHeartbeat() {
        probe.beat();
        probe.reset();

        assertThat(probe.check().passed()).isFalse();
    }
}
