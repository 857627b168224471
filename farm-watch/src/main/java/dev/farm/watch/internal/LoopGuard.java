package dev.farm.watch.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One rule's feedback-loop detection, driven by the instants it is given; used by the rule's worker only.
 *
 * <p>A rule may be delivered {@code runs} times within any {@code window}; the next batch inside the window pauses it
 * instead. The loop's paths are those that changed in at least two of those batches (or all of their paths, when none
 * repeats). While paused, batches are dropped. The rule resumes, with the batch that resumes it delivered and the count
 * started afresh, when a batch brings a path outside the loop (the user edited something else), or when a whole window
 * passed without any batch for the rule (the loop died down, so the next change is someone's edit).
 */
final class LoopGuard {

    /** What to do with a batch. */
    enum Verdict {
        DELIVER,
        /** Deliver nothing; the rule was paused just now, and {@link #loopPaths()} says why. */
        PAUSE,
        /** Deliver nothing; the rule stays paused. */
        DROP
    }

    private record Delivery(Instant at, Set<Path> paths) {}

    private final int runs;
    private final Duration window;
    private final Deque<Delivery> recent = new ArrayDeque<>();
    private boolean paused;
    private Set<Path> loopPaths = Set.of();
    private Instant lastWhilePaused = Instant.MIN;

    LoopGuard(int runs, Duration window) {
        this.runs = runs;
        this.window = window;
    }

    Verdict admit(Instant now, Set<Path> paths) {
        if (paused) {
            boolean outside = !loopPaths.containsAll(paths);
            boolean diedDown = !now.isBefore(lastWhilePaused.plus(window));
            if (!outside && !diedDown) {
                lastWhilePaused = now;
                return Verdict.DROP;
            }
            paused = false;
            loopPaths = Set.of();
            recent.clear();
        }
        while (!recent.isEmpty() && !recent.peekFirst().at().isAfter(now.minus(window))) {
            recent.removeFirst();
        }
        if (recent.size() >= runs) {
            paused = true;
            lastWhilePaused = now;
            loopPaths = repeated(paths);
            return Verdict.PAUSE;
        }
        recent.addLast(new Delivery(now, Set.copyOf(paths)));
        return Verdict.DELIVER;
    }

    boolean paused() {
        return paused;
    }

    /** The paths that kept changing, when paused. */
    Set<Path> loopPaths() {
        return loopPaths;
    }

    private Set<Path> repeated(Set<Path> latest) {
        Map<Path, Integer> counts = new HashMap<>();
        for (Path path : latest) {
            counts.merge(path, 1, Integer::sum);
        }
        for (Delivery delivery : recent) {
            for (Path path : delivery.paths()) {
                counts.merge(path, 1, Integer::sum);
            }
        }
        Set<Path> repeated = new TreeSet<>();
        counts.forEach((path, count) -> {
            if (count >= 2) {
                repeated.add(path);
            }
        });
        if (repeated.isEmpty()) {
            repeated.addAll(counts.keySet());
        }
        return Set.copyOf(repeated);
    }
}
