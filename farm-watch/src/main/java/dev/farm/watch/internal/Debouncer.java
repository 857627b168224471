package dev.farm.watch.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One rule's debounce, driven by the instants it is given (no clock, no thread of its own).
 *
 * <p>A window opens with its first change. It is ready once no change came for the quiet time, or the maximum wait
 * after its first change has passed, whichever is sooner; so a burst becomes one batch and continuous churn still
 * yields one batch per maximum wait. While {@code .git/index.lock} exists (a checkout, a rebase) a ready window is
 * held, rechecked every {@link #LOCK_RECHECK}, up to the hold limit after its first change.
 */
final class Debouncer {

    /** How often a held window looks for the lock again. */
    static final Duration LOCK_RECHECK = Duration.ofMillis(50);

    private final Duration quiet;
    private final Duration maxWait;
    private final Duration holdLimit;
    private @Nullable Instant first;
    private @Nullable Instant last;

    Debouncer(Duration quiet, Duration maxWait, Duration holdLimit) {
        this.quiet = quiet;
        this.maxWait = maxWait;
        this.holdLimit = holdLimit.compareTo(maxWait) < 0 ? maxWait : holdLimit;
    }

    /** Records a change. */
    void changed(Instant now) {
        if (first == null) {
            first = now;
        }
        if (last == null || now.isAfter(last)) {
            last = now;
        }
    }

    boolean pending() {
        return first != null;
    }

    /** When the open window is ready, ignoring the lock; empty when none is open. */
    Optional<Instant> readyAt() {
        if (first == null || last == null) {
            return Optional.empty();
        }
        Instant afterQuiet = last.plus(quiet);
        Instant latest = first.plus(maxWait);
        return Optional.of(afterQuiet.isBefore(latest) ? afterQuiet : latest);
    }

    /**
     * Tells whether the open window should be delivered now.
     *
     * @param now the current instant
     * @param locked whether {@code .git/index.lock} exists
     */
    boolean due(Instant now, boolean locked) {
        Optional<Instant> ready = readyAt();
        if (ready.isEmpty() || now.isBefore(ready.get())) {
            return false;
        }
        return !locked || !now.isBefore(holdUntil());
    }

    /**
     * When to look again.
     *
     * @param now the current instant
     * @param locked whether {@code .git/index.lock} exists
     * @return the next instant this window may become due; empty when none is open
     */
    Optional<Instant> nextCheck(Instant now, boolean locked) {
        Optional<Instant> ready = readyAt();
        if (ready.isEmpty() || now.isBefore(ready.get()) || !locked) {
            return ready;
        }
        Instant recheck = now.plus(LOCK_RECHECK);
        Instant hold = holdUntil();
        return Optional.of(recheck.isBefore(hold) ? recheck : hold);
    }

    /** Tells whether the window is ready but held by the lock. */
    boolean held(Instant now, boolean locked) {
        Optional<Instant> ready = readyAt();
        return locked && ready.isPresent() && !now.isBefore(ready.get()) && now.isBefore(holdUntil());
    }

    /** Closes the window after its batch was handed on. */
    void reset() {
        first = null;
        last = null;
    }

    private Instant holdUntil() {
        return first == null ? Instant.MAX : first.plus(holdLimit);
    }
}
