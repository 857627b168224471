package dev.farm.process.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to try a readiness probe again while a service starts: 20 ms after the first attempt that reached the service,
 * then half as long again each time, up to 250 ms, and never past the deadline; gentle enough that a slow start costs
 * the service four attempts a second. An attempt that found nothing listening (the connection was refused) cost the
 * service nothing, so the next one comes after {@link #NOT_LISTENING}: the port is seen open within milliseconds.
 */
final class ProbeSchedule {

    static final Duration FIRST = Duration.ofMillis(20);
    static final Duration MAX = Duration.ofMillis(250);
    static final Duration NOT_LISTENING = Duration.ofMillis(5);

    private final Clock clock;
    private final Instant deadline;
    private int attempt;

    /**
     * Starts a schedule now.
     *
     * @param clock the supervisor's clock
     * @param timeout how long attempts may go on
     */
    ProbeSchedule(Clock clock, Duration timeout) {
        this.clock = clock;
        this.deadline = clock.instant().plus(timeout);
    }

    /**
     * Returns the pause before the next attempt, after one failed.
     *
     * @return the pause, shortened to what is left before the deadline; empty once the deadline has passed
     */
    Optional<Duration> pauseAfterFailure() {
        return pauseAfter(true);
    }

    /**
     * Returns the pause before the next attempt, after one failed.
     *
     * @param listening whether the failed attempt reached something listening
     * @return the pause, shortened to what is left before the deadline; empty once the deadline has passed
     */
    Optional<Duration> pauseAfter(boolean listening) {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            return Optional.empty();
        }
        Duration pause = listening ? delayAfter(attempt++) : NOT_LISTENING;
        return Optional.of(pause.compareTo(remaining) > 0 ? remaining : pause);
    }

    /** The pause after the given failed attempt, counting from 0. */
    static Duration delayAfter(int attempt) {
        double millis = FIRST.toMillis() * Math.pow(1.5, Math.min(attempt, 32));
        return millis >= MAX.toMillis() ? MAX : Duration.ofMillis(Math.round(millis));
    }
}
