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
 * <p>A loop is the same file changing again and again: a path may be in {@code runs} of a rule's deliveries within any
 * {@code window}; a batch that would make it one more pauses the rule instead, and those paths are the loop. Many
 * different files changing (a save-all, a formatter, a checkout) is never a loop. While paused, batches of loop paths
 * only are dropped; the tripping batch's other paths are still delivered (see {@link #loopPaths()}). The rule resumes, with the batch that resumes it delivered and the count
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
        Set<Path> looping = looping(paths);
        if (!looping.isEmpty()) {
            paused = true;
            lastWhilePaused = now;
            loopPaths = looping;
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

    /** The paths of the batch that were in {@code runs} deliveries of the window already. */
    private Set<Path> looping(Set<Path> latest) {
        Map<Path, Integer> counts = new HashMap<>();
        for (Delivery delivery : recent) {
            for (Path path : delivery.paths()) {
                counts.merge(path, 1, Integer::sum);
            }
        }
        Set<Path> looping = new TreeSet<>();
        for (Path path : latest) {
            if (counts.getOrDefault(path, 0) >= runs) {
                looping.add(path);
            }
        }
        return Set.copyOf(looping);
    }
}
