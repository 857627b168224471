package dev.farm.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When and how often farm starts a stopped process again ({@code restart}).
 *
 * @param when which exits lead to a restart
 * @param max restarts allowed before the service is failed
 * @param backoffMin the delay before the first restart
 * @param backoffMax the largest delay, reached by doubling
 * @param resetAfter how long a service must run for {@code max} to refill
 * @since 0.1
 */
public record RestartPolicy(When when, int max, Duration backoffMin, Duration backoffMax, Duration resetAfter) {

    /** The policy of a service that says nothing: on failure, 5 times, 200ms..30s, refilled after 60s. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(
            When.ON_FAILURE, 5, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(60));

    /**
     * Validates the components.
     *
     * @param when which exits lead to a restart
     * @param max restarts allowed before the service is failed, at least 0
     * @param backoffMin the delay before the first restart
     * @param backoffMax the largest delay, not below {@code backoffMin}
     * @param resetAfter how long a service must run for {@code max} to refill
     */
    public RestartPolicy {
        Objects.requireNonNull(when, "when");
        if (max < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 0)");
        }
        if (backoffMin.isNegative() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException(
                    "backoff: " + backoffMin + ".." + backoffMax + " (expected: 0 <= min <= max)");
        }
        Objects.requireNonNull(resetAfter, "resetAfter");
    }

    /**
     * Which exits lead to a restart.
     *
     * @since 0.1
     */
    public enum When {
        /** Never restart. */
        NO,
        /** Restart when the exit code is not one of the service's {@code success_exit_codes}. */
        ON_FAILURE,
        /** Restart after every exit farm did not ask for. */
        ALWAYS;

        /**
         * Returns the word used in {@code farm.yaml}.
         *
         * @return such as {@code on-failure}
         */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
