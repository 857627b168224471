package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void startsAtTwentyMillisecondsAndBacksOffToAQuarterSecond() {
        assertThat(ProbeSchedule.delayAfter(0)).isEqualTo(Duration.ofMillis(20));
        assertThat(ProbeSchedule.delayAfter(1)).isEqualTo(Duration.ofMillis(30));
        assertThat(ProbeSchedule.delayAfter(2)).isEqualTo(Duration.ofMillis(45));
        assertThat(ProbeSchedule.delayAfter(6)).isEqualTo(Duration.ofMillis(228));
        assertThat(ProbeSchedule.delayAfter(7)).isEqualTo(Duration.ofMillis(250));
        assertThat(ProbeSchedule.delayAfter(1000)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void neverShrinks() {
        for (int attempt = 0; attempt < 50; attempt++) {
            assertThat(ProbeSchedule.delayAfter(attempt + 1)).isGreaterThanOrEqualTo(ProbeSchedule.delayAfter(attempt));
        }
    }

    @Test
    void pausesFollowTheBackoffAndEndAtTheDeadline() {
        ProbeSchedule schedule = new ProbeSchedule(clock, Duration.ofMillis(100));

        assertThat(schedule.pauseAfterFailure()).hasValue(Duration.ofMillis(20));
        clock.advance(Duration.ofMillis(20));
        assertThat(schedule.pauseAfterFailure()).hasValue(Duration.ofMillis(30));
        clock.advance(Duration.ofMillis(30));
        assertThat(schedule.pauseAfterFailure())
                .as("45 ms would pass the deadline")
                .hasValue(Duration.ofMillis(45));
        clock.advance(Duration.ofMillis(45));
        assertThat(schedule.pauseAfterFailure()).as("cut to what is left").hasValue(Duration.ofMillis(5));
        clock.advance(Duration.ofMillis(5));
        assertThat(schedule.pauseAfterFailure()).isEmpty();
    }

    @Test
    void whileNothingListensItTriesAgainWithinMillisecondsWithoutBackingOff() {
        ProbeSchedule schedule = new ProbeSchedule(clock, Duration.ofSeconds(1));

        for (int i = 0; i < 20; i++) {
            assertThat(schedule.pauseAfter(false)).hasValue(Duration.ofMillis(5));
            clock.advance(Duration.ofMillis(5));
        }
        assertThat(schedule.pauseAfter(true))
                .as("the first attempt that reached the service starts the backoff")
                .hasValue(Duration.ofMillis(20));
    }
}
