package dev.farm.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debounce on given instants: no clock, no thread, no sleep. */
class DebouncerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration MAX_WAIT = Duration.ofSeconds(1);

    private final Debouncer debouncer = new Debouncer(QUIET, MAX_WAIT, MAX_WAIT.multipliedBy(5));

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void nothingPendingIsNeverDue() {
        assertThat(debouncer.pending()).isFalse();
        assertThat(debouncer.due(at(10_000), false)).isFalse();
        assertThat(debouncer.nextCheck(at(0), false)).isEmpty();
    }

    @Test
    void aBurstIsDueAQuietWindowAfterItsLastChange() {
        for (int ms = 0; ms <= 140; ms += 2) {
            debouncer.changed(at(ms));
        }
        assertThat(debouncer.due(at(239), false)).isFalse();
        assertThat(debouncer.nextCheck(at(200), false)).contains(at(240));
        assertThat(debouncer.due(at(240), false)).isTrue();
    }

    @Test
    void quietZeroIsDueAtOnce() {
        Debouncer immediate = new Debouncer(Duration.ZERO, MAX_WAIT, MAX_WAIT);
        immediate.changed(at(5));
        assertThat(immediate.due(at(5), false)).isTrue();
    }

    @Test
    void continuousChurnIsDeliveredEveryMaxWait() {
        // one write every 50 ms for 10 s, the dispatcher looking every 10 ms
        List<Instant> runs = new ArrayList<>();
        Instant opened = null;
        for (long ms = 0; ms <= 10_500; ms += 10) {
            Instant now = at(ms);
            if (ms % 50 == 0 && ms < 10_000) {
                debouncer.changed(now);
                if (opened == null) {
                    opened = now;
                }
            }
            if (debouncer.due(now, false)) {
                assertThat(Duration.between(opened, now)).isLessThanOrEqualTo(MAX_WAIT);
                runs.add(now);
                debouncer.reset();
                opened = null;
            }
        }
        assertThat(runs).hasSizeBetween(10, 11);
        Instant previous = T0;
        for (Instant run : runs) {
            // at most maxWait after the window opened, which is at most one write interval after the last run
            assertThat(Duration.between(previous, run)).isLessThanOrEqualTo(MAX_WAIT.plusMillis(50));
            previous = run;
        }
        assertThat(runs.get(0)).isEqualTo(at(1000)); // the first window opened at 0
        assertThat(runs.get(runs.size() - 1)).isEqualTo(at(10_050)); // 100 ms after the last write at 9950
    }

    @Test
    void maxWaitCountsFromTheFirstChange() {
        debouncer.changed(at(0));
        debouncer.changed(at(90));
        debouncer.changed(at(950));
        assertThat(debouncer.nextCheck(at(960), false)).contains(at(1000));
        assertThat(debouncer.due(at(999), false)).isFalse();
        assertThat(debouncer.due(at(1000), false)).isTrue();
    }

    @Test
    void theIndexLockHoldsAReadyWindowUntilItGoes() {
        debouncer.changed(at(0));
        assertThat(debouncer.due(at(100), true)).isFalse();
        assertThat(debouncer.held(at(100), true)).isTrue();
        assertThat(debouncer.nextCheck(at(100), true)).contains(at(150));
        assertThat(debouncer.due(at(3_000), true)).isFalse(); // past maxWait, still held
        assertThat(debouncer.due(at(3_010), false)).isTrue(); // the lock went
    }

    @Test
    void theHoldIsBoundedByFiveMaxWaits() {
        debouncer.changed(at(0));
        assertThat(debouncer.due(at(4_999), true)).isFalse();
        assertThat(debouncer.nextCheck(at(4_990), true)).contains(at(5_000));
        assertThat(debouncer.due(at(5_000), true)).isTrue();
    }

    @Test
    void theLockDoesNotMatterBeforeTheWindowIsReady() {
        debouncer.changed(at(0));
        assertThat(debouncer.held(at(50), true)).isFalse();
        assertThat(debouncer.nextCheck(at(50), true)).contains(at(100));
    }

    @Test
    void resetClosesTheWindow() {
        debouncer.changed(at(0));
        debouncer.reset();
        assertThat(debouncer.pending()).isFalse();
        debouncer.changed(at(2_000));
        assertThat(debouncer.readyAt()).contains(at(2_100));
    }
}
