package dev.farm.watch.internal;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one rule's batches on the rule's own thread, so a slow action delays no other rule. Single-flight: while a
 * listener call runs, what the dispatcher hands on is merged into one pending batch, delivered when the call returns.
 * Before delivering, the worker asks the rule's {@link ContentGate} what really changed (or rescans the rule's folders
 * first, when events were lost) and its {@link LoopGuard} whether the rule keeps triggering itself.
 */
final class RuleWorker {

    private static final Logger LOG = LoggerFactory.getLogger(RuleWorker.class);

    private final RuleMatcher rule;
    private final ContentGate gate;
    private final Scope scope;
    private final LoopGuard guard;
    private final int loopRuns;
    private final Duration loopWindow;
    private final Clock clock;
    private final ChangeWatcher.Listener listener;
    private final Thread thread;
    private final Object lock = new Object();
    private Set<Path> pending = new HashSet<>();
    private boolean pendingRescan;
    private boolean stopped;

    RuleWorker(
            RuleMatcher rule,
            ContentGate gate,
            Scope scope,
            int loopRuns,
            Duration loopWindow,
            Clock clock,
            ChangeWatcher.Listener listener,
            ThreadFactory threads) {
        this.rule = rule;
        this.gate = gate;
        this.scope = scope;
        this.guard = new LoopGuard(loopRuns, loopWindow);
        this.loopRuns = loopRuns;
        this.loopWindow = loopWindow;
        this.clock = clock;
        this.listener = listener;
        this.thread = threads.newThread(this::run);
    }

    void start() {
        thread.start();
    }

    /** Hands on a debounced window: merged into the pending batch. */
    void submit(Set<Path> paths, boolean rescan) {
        synchronized (lock) {
            pending.addAll(paths);
            pendingRescan |= rescan;
            lock.notifyAll();
        }
    }

    /** Stops after the listener call in flight, if any, returns; never interrupts it. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    private void run() {
        while (true) {
            Set<Path> paths;
            boolean rescan;
            synchronized (lock) {
                while (!stopped && pending.isEmpty() && !pendingRescan) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                paths = pending;
                pending = new HashSet<>();
                rescan = pendingRescan;
                pendingRescan = false;
            }
            deliver(paths, rescan);
        }
    }

    private void deliver(Set<Path> paths, boolean rescan) {
        ChangeBatch batch;
        try {
            ContentGate.Changes changes = gate.check(rescan ? rescanCandidates(paths) : paths);
            batch = new ChangeBatch(rule.name(), changes.created(), changes.modified(), changes.deleted(), rescan);
        } catch (IOException | RuntimeException e) {
            LOG.warn("rule {}: cannot compare its files with what they were; nothing delivered", rule.name(), e);
            return;
        }
        if (batch.isEmpty()) {
            LOG.debug("rule {}: {} paths had events, none changed its content", rule.name(), paths.size());
            return;
        }
        switch (guard.admit(clock.instant(), batch.paths())) {
            case DELIVER -> {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "rule {}: {} created, {} modified, {} deleted{}",
                            rule.name(),
                            batch.created().size(),
                            batch.modified().size(),
                            batch.deleted().size(),
                            rescan ? " (rescan)" : "");
                }
                deliver(batch);
            }
            case PAUSE -> {
                Set<Path> loop = guard.loopPaths();
                LOG.warn(
                        "rule {} fired more than {} times within {}: its action probably writes its own inputs {}."
                                + " It is paused; it resumes when a file outside these changes, or after {} without"
                                + " changes. Exclude the action's outputs from the rule's globs.",
                        rule.name(),
                        loopRuns,
                        Durations.describe(loopWindow),
                        loop,
                        Durations.describe(loopWindow));
                try {
                    listener.paused(rule.name(), loop);
                } catch (RuntimeException e) {
                    LOG.warn("rule {}: listener {} failed in paused(); the watcher goes on", rule.name(), name(), e);
                }
                ChangeBatch rest = new ChangeBatch(
                        rule.name(),
                        without(batch.created(), loop),
                        without(batch.modified(), loop),
                        without(batch.deleted(), loop),
                        false);
                if (!rest.isEmpty()) {
                    deliver(rest); // what changed besides the loop is someone's edit
                }
            }
            case DROP ->
                LOG.debug(
                        "rule {}: paused, {} changed paths dropped",
                        rule.name(),
                        batch.paths().size());
        }
    }

    /** What a rescan compares: every file of the rule's folders it matches, every file it knew, and what had events. */
    private Set<Path> rescanCandidates(Set<Path> paths) throws IOException {
        Set<Path> candidates = new HashSet<>(paths);
        candidates.addAll(gate.known());
        for (Path prefix : outermost(rule.prefixes())) {
            scope.walk(prefix, rule, new Scope.Visit() {
                @Override
                public void folder(Path dir) {}

                @Override
                public void file(Path file, BasicFileAttributes attributes) {
                    if (rule.matches(file)) {
                        candidates.add(file);
                    }
                }
            });
        }
        return candidates;
    }

    private static List<Path> outermost(List<Path> prefixes) {
        List<Path> outer = new ArrayList<>();
        for (Path prefix : prefixes) {
            if (prefixes.stream().noneMatch(other -> !other.equals(prefix) && prefix.startsWith(other))) {
                outer.add(prefix);
            }
        }
        return outer;
    }

    private String name() {
        return listener.getClass().getName();
    }

    private void deliver(ChangeBatch batch) {
        try {
            listener.changed(batch);
        } catch (RuntimeException e) {
            LOG.warn("rule {}: listener {} failed; the watcher goes on", rule.name(), name(), e);
        }
    }

    private static Set<Path> without(Set<Path> paths, Set<Path> loop) {
        Set<Path> kept = new java.util.HashSet<>(paths);
        kept.removeAll(loop);
        return kept;
    }
}
