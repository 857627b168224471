package dev.farm.process;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how often a service is started again after its process ends or stops answering its liveness probe.
 *
 * <p>The delay before restart {@code n} (counting from 1) is {@code backoffMin × 2^(n-1)}, capped at {@code
 * backoffMax}. Once the service has run steadily for {@code resetAfter}, the count starts again from zero, so a service
 * that crashes once a day is never given up on. After {@code max} restarts in a row the service is {@link
 * ServiceState#FAILED} and the rest of the stack keeps running.
 *
 * @param when which endings lead to a restart
 * @param max how many restarts in a row are allowed before the service fails; 0 for none
 * @param backoffMin the delay before the first restart; may be zero
 * @param backoffMax the longest delay
 * @param resetAfter how long the service must run steadily (ready, or running when it has no probe) to be given its
 *     whole budget back
 * @since 0.1
 */
public record RestartPolicy(When when, int max, Duration backoffMin, Duration backoffMax, Duration resetAfter) {

    /** Never restart: a service that ends stays ended. The supervisor's default. */
    public static final RestartPolicy NO =
            new RestartPolicy(When.NO, 0, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60));

    /**
     * Validates the components.
     *
     * @param when which endings lead to a restart
     * @param max how many restarts in a row are allowed before the service fails; 0 for none
     * @param backoffMin the delay before the first restart; may be zero
     * @param backoffMax the longest delay
     * @param resetAfter how long the service must run steadily to be given its whole budget back
     */
    public RestartPolicy {
        Objects.requireNonNull(when, "when");
        if (max < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 0)");
        }
        Objects.requireNonNull(backoffMin, "backoffMin");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (backoffMin.isNegative() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException(
                    "backoff: " + backoffMin + ".." + backoffMax + " (expected: 0 <= min <= max)");
        }
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (resetAfter.isNegative()) {
            throw new IllegalArgumentException("resetAfter: " + resetAfter + " (expected: >= 0)");
        }
    }

    /**
     * Restarts a service whose process ends with a code other than its success codes, or that stops answering its
     * liveness probe.
     *
     * @param max how many restarts in a row are allowed
     * @param backoffMin the first delay
     * @param backoffMax the longest delay
     * @return the policy, with a budget that refills after 60 s of steady running
     */
    public static RestartPolicy onFailure(int max, Duration backoffMin, Duration backoffMax) {
        return new RestartPolicy(When.ON_FAILURE, max, backoffMin, backoffMax, Duration.ofSeconds(60));
    }

    /**
     * Restarts a service whenever its process ends, even with a success code.
     *
     * @param max how many restarts in a row are allowed
     * @param backoffMin the first delay
     * @param backoffMax the longest delay
     * @return the policy, with a budget that refills after 60 s of steady running
     */
    public static RestartPolicy always(int max, Duration backoffMin, Duration backoffMax) {
        return new RestartPolicy(When.ALWAYS, max, backoffMin, backoffMax, Duration.ofSeconds(60));
    }

    /**
     * Returns this policy with another steady period after which the budget refills.
     *
     * @param period a duration of zero or more
     * @return the policy
     */
    public RestartPolicy withResetAfter(Duration period) {
        return new RestartPolicy(when, max, backoffMin, backoffMax, period);
    }

    /**
     * Tells whether an ending leads to a restart under this policy, before the budget is considered.
     *
     * @param success whether the process ended with one of its success codes
     * @return true when a restart is wanted
     */
    public boolean restarts(boolean success) {
        return switch (when) {
            case NO -> false;
            case ON_FAILURE -> !success;
            case ALWAYS -> true;
        };
    }

    /** Which endings lead to a restart. */
    public enum When {
        /** None. */
        NO,
        /** A failure exit code, or a failed liveness probe. */
        ON_FAILURE,
        /** Any ending. */
        ALWAYS
    }
}
