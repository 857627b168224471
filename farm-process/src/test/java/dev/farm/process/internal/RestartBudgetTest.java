package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void delaysDoubleFromTheMinimumUpToTheMaximum() {
        RestartBudget budget =
                new RestartBudget(RestartPolicy.onFailure(10, Duration.ofMillis(200), Duration.ofSeconds(2)));

        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ofMillis(200));
        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ofMillis(400));
        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ofMillis(800));
        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ofMillis(1600));
        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ofSeconds(2));
        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ofSeconds(2));
        assertThat(budget.used()).isEqualTo(6);
    }

    @Test
    void theBudgetIsUsedUpAfterMaxRestartsInARow() {
        RestartBudget budget =
                new RestartBudget(RestartPolicy.onFailure(2, Duration.ofMillis(100), Duration.ofSeconds(1)));

        assertThat(budget.next(clock.instant(), null)).isPresent();
        assertThat(budget.next(clock.instant(), null)).isPresent();
        assertThat(budget.next(clock.instant(), null)).isEmpty();
        assertThat(budget.next(clock.instant(), null)).as("stays used up").isEmpty();
    }

    @Test
    void aStableRunAsLongAsResetAfterGivesTheWholeBudgetBackAndTheFirstDelayAgain() {
        RestartBudget budget =
                new RestartBudget(RestartPolicy.onFailure(2, Duration.ofMillis(100), Duration.ofSeconds(1))
                        .withResetAfter(Duration.ofMinutes(1)));
        budget.next(clock.instant(), null);
        budget.next(clock.instant(), null);

        Instant ready = clock.instant();
        clock.advance(Duration.ofSeconds(59));
        assertThat(budget.next(clock.instant(), ready))
                .as("59 s of running is not stable enough")
                .isEmpty();

        RestartBudget refilled =
                new RestartBudget(RestartPolicy.onFailure(2, Duration.ofMillis(100), Duration.ofSeconds(1))
                        .withResetAfter(Duration.ofMinutes(1)));
        refilled.next(clock.instant(), null);
        refilled.next(clock.instant(), null);
        Instant steady = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        assertThat(refilled.next(clock.instant(), steady)).hasValue(Duration.ofMillis(100));
        assertThat(refilled.used()).isEqualTo(1);
    }

    @Test
    void aZeroMinimumMeansRestartAtOnce() {
        RestartBudget budget = new RestartBudget(RestartPolicy.always(3, Duration.ZERO, Duration.ZERO));

        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ZERO);
        assertThat(budget.next(clock.instant(), null)).hasValue(Duration.ZERO);
    }

    @Test
    void aPolicyWithoutRestartsHasNoBudget() {
        assertThat(new RestartBudget(RestartPolicy.NO).next(clock.instant(), null))
                .isEmpty();
    }
}
