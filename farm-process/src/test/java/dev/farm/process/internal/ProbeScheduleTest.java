package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {

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
}
