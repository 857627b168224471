package dev.farm.process.internal;

import dev.farm.process.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Counts a service's restarts in a row against its policy: exponential backoff from the policy's minimum to its
 * maximum, and the whole budget back once the service has run steadily for the policy's {@code resetAfter}. Pure logic:
 * the caller passes the times, from the supervisor's clock. Not thread-safe; one per service, used by its loop.
 */
final class RestartBudget {

    private final RestartPolicy policy;
    private int used;

    RestartBudget(RestartPolicy policy) {
        this.policy = policy;
    }

    /**
     * Takes one restart from the budget.
     *
     * @param now when the incarnation ended
     * @param steadySince when it became ready (or started, without a probe); null when it never did
     * @return the delay before the restart, or empty when the budget is used up
     */
    Optional<Duration> next(Instant now, @Nullable Instant steadySince) {
        if (steadySince != null && Duration.between(steadySince, now).compareTo(policy.resetAfter()) >= 0) {
            used = 0;
        }
        if (used >= policy.max()) {
            return Optional.empty();
        }
        used++;
        return Optional.of(delay(used));
    }

    /** The restarts used in a row so far. */
    int used() {
        return used;
    }

    /** The delay before restart {@code n}, counting from 1. */
    Duration delay(int n) {
        Duration min = policy.backoffMin();
        Duration max = policy.backoffMax();
        if (min.isZero()) {
            return Duration.ZERO;
        }
        Duration delay = min;
        for (int i = 1; i < n && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
