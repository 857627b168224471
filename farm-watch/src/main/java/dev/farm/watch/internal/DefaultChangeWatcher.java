package dev.farm.watch.internal;

import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchException;
import dev.farm.watch.WatchRule;
import io.methvin.watcher.DirectoryChangeListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ChangeWatcher}: io.methvin's directory-watcher, or polling when asked or when the operating
 * system's events are not available.
 *
 * <p>Threads, all daemons: {@code farm-watch-events-<n>} runs directory-watcher's loop, whose listener only enqueues;
 * {@code farm-watch-dispatch-1} takes the queue, matches paths to rules, debounces each rule, holds windows while
 * {@code .git/index.lock} exists, and checks every second that the watch still works; {@code farm-watch-rule-<n>}, one
 * per rule, compares the rule's files with their baselines and calls the listener; {@code farm-watch-baseline-1}
 * hashes the matched files once at start; {@code farm-watch-poll-1} scans when polling.
 */
public final class DefaultChangeWatcher implements ChangeWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultChangeWatcher.class);

    /** How long {@link #start} waits for the matched files' hashes before it returns and lets them finish behind. */
    static final Duration BASELINE_WAIT = Duration.ofMillis(500);

    /** How often the dispatcher checks that the watch still works. */
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);

    /** How many events may wait for the dispatcher; more mean lost events, so a rescan. */
    static final int QUEUE_CAPACITY = 100_000;

    private static final Path PROC_SYS = Path.of("/proc/sys");

    /**
     * What the builder collected.
     *
     * @param root the project folder
     * @param rules the rules
     * @param ignores farm's default ignores and the builder's
     * @param gitignore whether {@code .gitignore} files add ignores
     * @param quiet the debounce's quiet window
     * @param maxWait the debounce's maximum wait
     * @param polling whether to poll from the start
     * @param pollInterval how often to poll
     * @param loopRuns how many deliveries within {@code loopWindow} are fine
     * @param loopWindow the loop detection's window
     * @param clock the clock for the debounce and loop detection
     * @param watchServices creates directory-watcher's watch service
     */
    public record Settings(
            Path root,
            List<WatchRule> rules,
            List<String> ignores,
            boolean gitignore,
            Duration quiet,
            Duration maxWait,
            boolean polling,
            Duration pollInterval,
            int loopRuns,
            Duration loopWindow,
            Clock clock,
            WatchServiceFactory watchServices) {

        /**
         * Copies the lists.
         *
         * @param root the project folder
         * @param rules the rules
         * @param ignores farm's default ignores and the builder's
         * @param gitignore whether {@code .gitignore} files add ignores
         * @param quiet the debounce's quiet window
         * @param maxWait the debounce's maximum wait
         * @param polling whether to poll from the start
         * @param pollInterval how often to poll
         * @param loopRuns how many deliveries within {@code loopWindow} are fine
         * @param loopWindow the loop detection's window
         * @param clock the clock for the debounce and loop detection
         * @param watchServices creates directory-watcher's watch service
         */
        public Settings {
            root = root.toAbsolutePath().normalize();
            rules = List.copyOf(rules);
            ignores = List.copyOf(ignores);
        }
    }

    private enum State {
        NEW,
        STARTING,
        RUNNING,
        CLOSED
    }

    /** One rule as the dispatcher sees it; all but the gate and the worker belong to the dispatcher thread. */
    private static final class Rule {
        final RuleMatcher matcher;
        final ContentGate gate;
        final Debouncer debouncer;

        @Nullable
        RuleWorker worker;

        Set<Path> paths = new HashSet<>();
        boolean rescan;
        boolean held;

        Rule(RuleMatcher matcher, ContentGate gate, Debouncer debouncer) {
            this.matcher = matcher;
            this.gate = gate;
            this.debouncer = debouncer;
        }

        void changed(Path path, Instant now) {
            paths.add(path);
            debouncer.changed(now);
        }
    }

    /** A file found at start, and the baseline each matching rule took of it. */
    private record Found(Path file, FileState state, List<Map.Entry<ContentGate, ContentGate.Baseline>> baselines) {}

    private final Settings settings;
    private final Scope scope;
    private final List<Rule> rules;
    private final @Nullable Path indexLock;
    private final LongSupplier wallMillis = System::currentTimeMillis;
    private final LinkedBlockingQueue<RawEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean queueOverflowed = new AtomicBoolean();
    private final AtomicInteger rescans = new AtomicInteger();
    private final ThreadFactory eventThreads = Threads.factory("events");
    private final ThreadFactory pollThreads = Threads.factory("poll");
    private final Object lock = new Object();
    private volatile State state = State.NEW;
    private volatile @Nullable EventSource source;
    private volatile boolean fellBack;
    private volatile boolean dropEvents;
    private @Nullable Thread dispatcher;
    private boolean gone;

    /**
     * Creates the watcher; nothing is watched until {@link #start}.
     *
     * @param settings what the builder collected
     * @throws IllegalArgumentException when a rule's glob is not a path pattern
     */
    public DefaultChangeWatcher(Settings settings) {
        this.settings = settings;
        List<RuleMatcher> matchers = new ArrayList<>();
        for (WatchRule rule : settings.rules()) {
            matchers.add(new RuleMatcher(rule));
        }
        this.scope = new Scope(settings.root(), matchers, settings.ignores(), settings.gitignore());
        Duration holdLimit = settings.maxWait().multipliedBy(5);
        List<Rule> list = new ArrayList<>();
        for (RuleMatcher matcher : matchers) {
            list.add(new Rule(
                    matcher,
                    new ContentGate(wallMillis),
                    new Debouncer(settings.quiet(), settings.maxWait(), holdLimit)));
        }
        this.rules = List.copyOf(list);
        this.indexLock = indexLock(settings.root());
    }

    @Override
    public void start(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException(
                        state == State.CLOSED
                                ? "watcher is closed"
                                : "watcher is " + state.name().toLowerCase(Locale.ROOT) + " (start it once)");
            }
            state = State.STARTING;
        }
        try {
            List<Path> folders = new ArrayList<>(List.of(settings.root()));
            folders.addAll(scope.roots());
            for (Path root : folders) {
                if (!Files.isDirectory(root)) {
                    throw new WatchException(
                            "cannot watch " + root + ": "
                                    + (Files.exists(root) ? "it is not a folder" : "it does not exist")
                                    + ". Create it, or fix the project folder or the rule's base.",
                            null);
                }
            }
            List<Found> found = new ArrayList<>();
            Map<Path, FileState> before = statWalk(found);
            ThreadFactory ruleThreads = Threads.factory("rule");
            for (Rule rule : rules) {
                RuleWorker worker = new RuleWorker(
                        rule.matcher,
                        rule.gate,
                        scope,
                        settings.loopRuns(),
                        settings.loopWindow(),
                        settings.clock(),
                        listener,
                        ruleThreads);
                rule.worker = worker;
                worker.start();
            }
            Thread dispatch = Threads.factory("dispatch").newThread(this::dispatch);
            dispatcher = dispatch;
            dispatch.start();
            EventSource started = createSource();
            synchronized (lock) {
                source = started;
            }
            // Whatever changed while folders were being registered had no event, or an event before its baseline.
            Map<Path, FileState> after = statWalk(null);
            after.forEach((file, state) -> {
                FileState old = before.get(file);
                if (old == null) {
                    enqueue(RawEvent.of(RawEvent.Kind.CREATED, file, false));
                } else if (!old.equals(state)) {
                    enqueue(RawEvent.of(RawEvent.Kind.MODIFIED, file, false));
                }
            });
            for (Path file : before.keySet()) {
                if (!after.containsKey(file)) {
                    enqueue(RawEvent.of(RawEvent.Kind.DELETED, file, false));
                }
            }
            awaitBaselines(found);
            synchronized (lock) {
                if (state == State.CLOSED) {
                    throw new IllegalStateException("watcher is closed (closed while starting)");
                }
                state = State.RUNNING;
            }
            LOG.info(
                    "watching {} for {} rule(s) ({})",
                    scope.roots().size() == 1 ? scope.roots().get(0) : scope.roots(),
                    rules.size(),
                    describeSource(started));
        } catch (IOException e) {
            close();
            throw new WatchException("cannot watch " + settings.root() + ": " + e, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String describeSource(EventSource started) {
        if (started instanceof MethvinSource methvin) {
            return methvin.folders().size() + " folders, operating system events";
        }
        return "polling every " + Durations.describe(settings.pollInterval());
    }

    private EventSource createSource() throws IOException {
        if (!settings.polling() && !fellBack) {
            MethvinSource methvin = new MethvinSource(scope, this::enqueue, settings.watchServices(), eventThreads);
            try {
                methvin.start();
                return methvin;
            } catch (IOException e) {
                methvin.close();
                fellBack = true;
                LOG.warn(WatchLimits.pollingInstead(settings.root(), e, settings.pollInterval(), PROC_SYS)
                        .getMessage());
            }
        }
        PollingSource poller =
                new PollingSource(scope, settings.pollInterval(), this::enqueue, pollThreads, wallMillis);
        poller.start();
        return poller;
    }

    /** Stats every file some rule matches; with {@code found}, also takes each rule's state-only baseline. */
    private Map<Path, FileState> statWalk(@Nullable List<Found> found) throws IOException {
        Map<Path, FileState> files = new HashMap<>();
        long takenAt = wallMillis.getAsLong();
        for (Path root : scope.roots()) {
            scope.walk(root, null, new Scope.Visit() {
                @Override
                public void folder(Path dir) {}

                @Override
                public void file(Path file, BasicFileAttributes attributes) {
                    if (!attributes.isRegularFile()) {
                        return;
                    }
                    FileState state = null;
                    List<Map.Entry<ContentGate, ContentGate.Baseline>> baselines = null;
                    for (Rule rule : rules) {
                        if (rule.matcher.matches(file)) {
                            if (state == null) {
                                state = FileState.of(attributes);
                                files.put(file, state);
                                baselines = new ArrayList<>();
                            }
                            if (found != null) {
                                baselines.add(Map.entry(rule.gate, rule.gate.snapshot(file, state, takenAt)));
                            }
                        }
                    }
                    if (found != null && state != null) {
                        found.add(new Found(file, state, baselines));
                    }
                }
            });
        }
        return files;
    }

    /** Hashes the files found at start in the background; waits up to {@link #BASELINE_WAIT} for it. */
    private void awaitBaselines(List<Found> found) {
        ThreadFactory threads = Threads.factory("baseline");
        CompletableFuture<Void> hashing = CompletableFuture.runAsync(
                () -> hash(found), runnable -> threads.newThread(runnable).start());
        try {
            hashing.get(BASELINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("hashing {} matched files goes on in the background", found.size());
        } catch (ExecutionException e) {
            LOG.warn("hashing the matched files failed; their first change counts whatever it is", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hash(List<Found> found) {
        for (Found file : found) {
            if (state == State.CLOSED) {
                return;
            }
            if (!file.state().equals(FileState.read(file.file()))) {
                continue; // changed since the snapshot: what it held is gone, so its first change counts
            }
            long hash;
            try {
                hash = ContentHash.of(file.file());
            } catch (IOException e) {
                continue;
            }
            if (file.state().equals(FileState.read(file.file()))) {
                for (Map.Entry<ContentGate, ContentGate.Baseline> baseline : file.baselines()) {
                    baseline.getKey().settle(file.file(), baseline.getValue(), hash);
                }
            }
        }
    }

    @Override
    public void wrote(Path file) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("watcher is closed");
        }
        Path path = file.toAbsolutePath().normalize();
        boolean visible = scope.visibleFile(path);
        for (Rule rule : rules) {
            if ((visible && rule.matcher.matches(path)) || rule.gate.baseline(path) != null) {
                rule.gate.wrote(path);
            }
        }
    }

    @Override
    public boolean polling() {
        EventSource current = source;
        return current != null ? current.polling() : settings.polling() || fellBack;
    }

    @Override
    public void close() {
        EventSource current;
        Thread dispatch;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            current = source;
            source = null;
            dispatch = dispatcher;
        }
        if (current != null) {
            current.close();
        }
        if (dispatch != null) {
            dispatch.interrupt();
        }
        for (Rule rule : rules) {
            RuleWorker worker = rule.worker;
            if (worker != null) {
                worker.stop();
            }
        }
        LOG.debug("stopped watching {}", scope.roots());
    }

    private void enqueue(RawEvent event) {
        if (dropEvents && event.path() != null) {
            return;
        }
        if (!queue.offer(event)) {
            queueOverflowed.set(true);
        }
    }

    // ---- the dispatcher thread ----

    private void dispatch() {
        List<RawEvent> events = new ArrayList<>();
        long nextHealth = System.nanoTime() + HEALTH_INTERVAL.toNanos();
        Optional<Instant> next = Optional.empty();
        while (state != State.CLOSED) {
            try {
                long wait = nextHealth - System.nanoTime();
                if (next.isPresent()) {
                    long untilDue = Duration.between(settings.clock().instant(), next.get())
                            .toNanos();
                    wait = Math.min(wait, untilDue);
                }
                RawEvent event = queue.poll(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (event != null) {
                    events.add(event);
                    queue.drainTo(events);
                }
                Instant now = settings.clock().instant();
                if (queueOverflowed.getAndSet(false)) {
                    LOG.debug("more than {} events waited; rescanning", QUEUE_CAPACITY);
                    rescanAll(now);
                }
                for (RawEvent each : events) {
                    handle(each, now);
                }
                events.clear();
                next = fireDue(now);
                if (System.nanoTime() - nextHealth >= 0) {
                    checkHealth(now);
                    nextHealth = System.nanoTime() + HEALTH_INTERVAL.toNanos();
                }
            } catch (InterruptedException e) {
                if (state == State.CLOSED) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("the watcher's dispatcher failed; it goes on", e);
            }
        }
    }

    private void handle(RawEvent event, Instant now) {
        Path path = event.path();
        switch (event.kind()) {
            case OVERFLOW -> rescanAll(now);
            case LIMIT -> limitReached(event.cause());
            case CREATED, MODIFIED -> {
                if (path == null || event.folder() || !scope.visibleFile(path)) {
                    return;
                }
                for (Rule rule : rules) {
                    if (rule.matcher.matches(path)) {
                        rule.changed(path, now);
                    }
                }
            }
            case DELETED -> {
                if (path == null) {
                    return;
                }
                boolean visible = scope.visibleFile(path);
                for (Rule rule : rules) {
                    if ((visible && rule.matcher.matches(path)) || rule.gate.knowsAtOrBelow(path)) {
                        rule.changed(path, now);
                    }
                }
            }
        }
    }

    private void rescanAll(Instant now) {
        rescans.incrementAndGet();
        for (Rule rule : rules) {
            rule.rescan = true;
            rule.debouncer.changed(now);
        }
    }

    /** Hands every due window to its worker; returns when to look again. */
    private Optional<Instant> fireDue(Instant now) {
        Boolean locked = null;
        Instant next = null;
        for (Rule rule : rules) {
            Optional<Instant> ready = rule.debouncer.readyAt();
            if (ready.isEmpty()) {
                continue;
            }
            boolean lockNow = false;
            if (!now.isBefore(ready.get())) {
                if (locked == null) {
                    locked = indexLock != null && Files.exists(indexLock);
                }
                lockNow = locked;
            }
            if (rule.debouncer.due(now, lockNow)) {
                if (lockNow) {
                    LOG.warn(
                            "{} still exists after {}; rule {} goes ahead. If no git command runs, delete the file.",
                            indexLock,
                            settings.maxWait().multipliedBy(5),
                            rule.matcher.name());
                }
                RuleWorker worker = Objects.requireNonNull(rule.worker);
                worker.submit(rule.paths, rule.rescan);
                rule.paths = new HashSet<>();
                rule.rescan = false;
                rule.held = false;
                rule.debouncer.reset();
                continue;
            }
            if (rule.debouncer.held(now, lockNow) && !rule.held) {
                rule.held = true;
                LOG.debug("rule {}: holding its batch while {} exists", rule.matcher.name(), indexLock);
            }
            Optional<Instant> check = rule.debouncer.nextCheck(now, lockNow);
            if (check.isPresent() && (next == null || check.get().isBefore(next))) {
                next = check.get();
            }
        }
        return Optional.ofNullable(next);
    }

    /**
     * Rebuilds the watch when directory-watcher's loop ended, a watched folder was replaced, or the watch limit was
     * reached (then as polling); rescans after, since events were lost meanwhile.
     */
    private void checkHealth(Instant now) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            EventSource current = source;
            if (current != null && current.healthy() && (current.polling() || !fellBack)) {
                return;
            }
            if (current != null) {
                current.close();
                source = null;
            }
            List<Path> missing = new ArrayList<>();
            List<Path> folders = new ArrayList<>(List.of(settings.root()));
            folders.addAll(scope.roots());
            for (Path root : folders) {
                if (!Files.isDirectory(root)) {
                    missing.add(root);
                }
            }
            if (!missing.isEmpty()) {
                if (!gone) {
                    gone = true;
                    LOG.warn("{} went away; farm watches again once it is back", missing);
                }
                return;
            }
            try {
                EventSource rebuilt = createSource();
                source = rebuilt;
                LOG.info("watching {} again ({})", scope.roots(), describeSource(rebuilt));
            } catch (IOException e) {
                LOG.warn(
                        "cannot watch {} again ({}); trying again in {}",
                        scope.roots(),
                        e,
                        Durations.describe(HEALTH_INTERVAL));
                return;
            }
            gone = false;
        }
        rescanAll(now);
    }

    /**
     * The inotify watch limit was reached while a new folder was being registered, so part of the tree is not watched:
     * the next health check replaces the watch with polling and rescans.
     */
    private void limitReached(@Nullable Exception cause) {
        if (fellBack) {
            return;
        }
        fellBack = true;
        Exception failure = cause != null ? cause : new IOException("User limit of inotify watches reached");
        LOG.warn(WatchLimits.pollingInstead(settings.root(), failure, settings.pollInterval(), PROC_SYS)
                .getMessage());
    }

    /** Finds {@code .git/index.lock} for the project: in {@code .git}, or where a worktree's {@code .git} file points. */
    static @Nullable Path indexLock(Path root) {
        for (Path dir = root; dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (Files.isDirectory(git)) {
                return git.resolve("index.lock");
            }
            if (Files.isRegularFile(git)) {
                try {
                    for (String line : Files.readAllLines(git, StandardCharsets.UTF_8)) {
                        if (line.startsWith("gitdir:")) {
                            return dir.resolve(
                                            line.substring("gitdir:".length()).trim())
                                    .normalize()
                                    .resolve("index.lock");
                        }
                    }
                } catch (IOException e) {
                    LOG.debug("cannot read {}: {}", git, e.toString());
                }
                return null;
            }
        }
        return null;
    }

    // ---- for tests ----

    /** The folders directory-watcher was given; empty when polling. */
    Set<Path> watchedFolders() {
        return source instanceof MethvinSource methvin ? methvin.folders() : Set.of();
    }

    /** directory-watcher's listener, to feed it what 0.19.1 does on overflow; null when polling. */
    @Nullable
    DirectoryChangeListener methvinListener() {
        return source instanceof MethvinSource methvin ? methvin.listener() : null;
    }

    /** How many times events were lost (or the watch rebuilt) and every rule was rescanned. */
    int rescans() {
        return rescans.get();
    }

    /** Makes the watcher lose every path event until called with false, as a kernel queue overflow does. */
    void dropEvents(boolean drop) {
        this.dropEvents = drop;
    }
}
