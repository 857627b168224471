package dev.farm.process.internal;

import dev.farm.process.Dependency;
import dev.farm.process.LogLine;
import dev.farm.process.ProbeTimeoutException;
import dev.farm.process.ReadinessWait;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceKind;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceStartException;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStats;
import dev.farm.process.ServiceStatus;
import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's life: waiting for its dependencies, then incarnation after incarnation (launch, readiness, liveness,
 * ending) as its restart policy says, until it is stopped or settles. The loop runs on one supervisor worker thread per
 * active service; requests from other threads ({@link #requestStop()}, {@link #requestRestart()}) set a flag and wake
 * it.
 *
 * <p>Locking: the flags and the generation's {@link Milestones} change under {@link #lock}; published fields are
 * volatile. Futures are completed outside the lock where their callbacks may take another service's lock (always a
 * dependent's: the graph has no cycle, so the order cannot deadlock).
 */
final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    /** How many of a service's last lines a failure reports. */
    static final int LAST_LINES = 20;

    /** How much of each of those lines is kept: enough to read, bounded however long the line. */
    static final int LAST_LINE_CHARS = 2000;

    /** How long to wait for a process's output to end after it exited; a grandchild may keep the pipe open. */
    static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);

    final ServiceSpec spec;
    private final DefaultProcessSupervisor farm;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LogRing recent;
    private final ProcStats stats = new ProcStats();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final ArrayDeque<String> outputTail = new ArrayDeque<>();
    private final List<LogLineProbe> lineProbes = new ArrayList<>();
    private final List<HeartbeatProbe> heartbeats = new ArrayList<>();

    volatile ServiceState state = ServiceState.PENDING;
    volatile Instant since;
    volatile String message = "";
    volatile @Nullable Incarnation current;
    volatile int incarnations;
    private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();
    volatile @Nullable Integer lastExit;
    /** When the current incarnation last reported a heartbeat; null before its first. */
    private volatile @Nullable Instant lastHeartbeat;

    volatile boolean adopted;
    volatile OptionalInt port;
    /** While the readiness probe is polled: what it waits for; null otherwise. */
    volatile @Nullable ReadinessWait waiting;
    /** The setup command while it runs. */
    private volatile @Nullable Incarnation setupRun;
    /** Whether the setup command has succeeded: it runs once, before the first start. */
    private volatile boolean setupDone;
    /** The daemon's stop script the reaper holds, while the daemon runs. */
    private volatile @Nullable Path daemonStopScript;

    // Guarded by lock; milestones is also read without it by the output readers.
    private volatile Milestones milestones = new Milestones();
    private @Nullable CompletableFuture<Void> dependencies;
    private boolean active;
    private boolean stopWanted;
    private boolean restartWanted;
    private boolean skipped;
    private CompletableFuture<Void> loopDone = CompletableFuture.completedFuture(null);
    private final List<CompletableFuture<Void>> readyWaiters = new ArrayList<>();
    private RestartBudget budget;

    ServiceRunner(ServiceSpec spec, DefaultProcessSupervisor farm, int recentLines) {
        this.spec = spec;
        this.farm = farm;
        this.recent = new LogRing(recentLines, LogRing.DEFAULT_CHAR_BUDGET);
        this.since = farm.clock().instant();
        this.port = spec.port();
        this.budget = new RestartBudget(spec.restart());
        spec.readiness().ifPresent(this::feed);
        spec.liveness().ifPresent(l -> feed(l.probe()));
    }

    private void feed(HealthProbe probe) {
        if (probe instanceof LogLineProbe line) {
            lineProbes.add(line);
        } else if (probe instanceof HeartbeatProbe beat) {
            heartbeats.add(beat);
        }
    }

    String name() {
        return spec.name();
    }

    // ------------------------------------------------------------------------------------------------ requests

    /**
     * Makes the service active, unless it is already: a new generation when the previous one settled.
     *
     * @return completes when the service is next ready
     */
    CompletableFuture<Void> activate() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        CompletableFuture<Void> deps;
        lock.lock();
        try {
            if (active) {
                if (state == ServiceState.READY) {
                    waiter.complete(null);
                } else {
                    readyWaiters.add(waiter);
                }
                return waiter;
            }
            if (state.isFinal()) {
                milestones = new Milestones();
                publish(
                        ServiceState.PENDING,
                        spec.dependencies().isEmpty() ? "" : "waiting for its dependencies",
                        List.of());
            }
            active = true;
            stopWanted = false;
            restartWanted = false;
            skipped = false;
            budget = new RestartBudget(spec.restart());
            loopDone = new CompletableFuture<>();
            readyWaiters.add(waiter);
            List<CompletableFuture<?>> conditions = new ArrayList<>();
            spec.dependencies()
                    .forEach((name, dependency) ->
                            conditions.add(farm.runner(name).conditionFor(dependency, name())));
            deps = Milestones.allOrFirstFailure(conditions);
            dependencies = deps;
        } finally {
            lock.unlock();
        }
        // Outside the lock: a dependency that failed already skips this service right here, synchronously.
        var unused = deps.whenComplete((ignored, failure) -> {
            if (failure != null) {
                skip(DefaultProcessSupervisor.unwrap(failure));
            } else {
                signal();
            }
        });
        farm.submit(this::loop, name());
        return waiter;
    }

    /** What a dependent waits for from this service's current generation. */
    CompletableFuture<?> conditionFor(Dependency dependency, String dependent) {
        Milestones m = milestones;
        return m.condition(
                dependency,
                spec.successExitCodes(),
                name(),
                dependent,
                () -> recent.all().stream().map(LogLine::text).collect(Collectors.toList()),
                this::lastLines);
    }

    /**
     * Asks the service to stop and to cancel any restart it has pending.
     *
     * @return completes once it has stopped
     */
    CompletableFuture<Void> requestStop() {
        lock.lock();
        try {
            if (!active) {
                if (state == ServiceState.PENDING) {
                    publish(ServiceState.STOPPED, "never started", List.of());
                }
                return CompletableFuture.completedFuture(null);
            }
            stopWanted = true;
            changed.signalAll();
            return loopDone;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the service to start a new incarnation now: a running one is stopped first, a pending backoff is cut short,
     * and a service still waiting for its dependencies keeps waiting (no second start).
     *
     * @return completes when the service is next ready
     */
    CompletableFuture<Void> requestRestart() {
        lock.lock();
        try {
            if (active) {
                CompletableFuture<Void> waiter = new CompletableFuture<>();
                readyWaiters.add(waiter);
                if (state != ServiceState.PENDING) {
                    restartWanted = true;
                    changed.signalAll();
                }
                return waiter;
            }
        } finally {
            lock.unlock();
        }
        return activate();
    }

    /**
     * Asks the service to stop now, as {@link #requestStop()} does, and kills what runs of it at once; its loop's stop
     * then finds the tree gone, or kills it without grace ({@link DefaultProcessSupervisor#forced()}).
     */
    void requestKill() {
        var unused = requestStop();
        forceKill();
    }

    void heartbeat() {
        lastHeartbeat = farm.clock().instant();
        heartbeats.forEach(HeartbeatProbe::beat);
    }

    boolean isActive() {
        return locked(() -> active);
    }

    CompletableFuture<Void> loopDone() {
        return locked(() -> loopDone);
    }

    /** Reads fields guarded by the lock. */
    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A dependency failed or was skipped: this service never starts in this generation. */
    private void skip(Throwable cause) {
        ServiceStartException reason;
        Milestones m;
        lock.lock();
        try {
            if (!active || stopWanted || skipped || state != ServiceState.PENDING) {
                return;
            }
            skipped = true;
            m = milestones;
            reason = new ServiceStartException(
                    name(),
                    "service '" + name() + "' was not started because a dependency failed: " + cause.getMessage(),
                    List.of(),
                    cause);
            publish(ServiceState.SKIPPED, reason.getMessage(), List.of());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        failWaiters(reason);
        m.fail(reason); // its own dependents are skipped in turn, on this thread
    }

    // --------------------------------------------------------------------------------------------------- loop

    private void loop() {
        Milestones m;
        CompletableFuture<Void> deps;
        lock.lock();
        try {
            m = milestones;
            deps = dependencies;
        } finally {
            lock.unlock();
        }
        try {
            if (waitForDependencies(deps)) {
                run(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Incarnation inc = current;
            if (inc != null) {
                stopTree(inc);
            }
            settle(m, ServiceState.STOPPED, "interrupted", null);
        } catch (RuntimeException | Error e) {
            LOG.error("{}: supervisor loop failed: {}", name(), e.toString(), e);
            Incarnation inc = current;
            if (inc != null) {
                stopTree(inc);
            }
            settle(
                    m,
                    ServiceState.FAILED,
                    "farm failed supervising it: " + e,
                    new ServiceStartException(name(), "service '" + name() + "': farm failed: " + e, List.of(), e));
        } finally {
            CompletableFuture<Void> done;
            lock.lock();
            try {
                active = false;
                done = loopDone;
            } finally {
                lock.unlock();
            }
            done.complete(null);
        }
    }

    /** Returns true once the dependencies are met; false when stopped or skipped meanwhile. */
    private boolean waitForDependencies(@Nullable CompletableFuture<Void> deps) throws InterruptedException {
        lock.lock();
        try {
            while (deps != null && !deps.isDone() && !stopWanted && !skipped) {
                changed.await();
            }
            if (skipped) {
                return false;
            }
            if (deps != null && deps.isCompletedExceptionally() && !stopWanted) {
                // Woken before the dependency's failure reached skip(): skip here, it is idempotent.
                Throwable cause = deps.handle((ignored, failure) -> failure).join();
                lock.unlock();
                try {
                    skip(DefaultProcessSupervisor.unwrap(cause));
                } finally {
                    lock.lock();
                }
                return false;
            }
            if (stopWanted) {
                if (state == ServiceState.PENDING) {
                    publish(ServiceState.STOPPED, "never started", List.of());
                }
                Milestones m = milestones;
                ServiceStartException reason = stoppedReason();
                lock.unlock();
                try {
                    failWaiters(reason);
                    m.fail(reason);
                } finally {
                    lock.lock();
                }
                return false;
            }
            return deps == null || !deps.isCompletedExceptionally();
        } finally {
            lock.unlock();
        }
    }

    /** How one incarnation (or an adopted or external instance) ended. */
    private record Outcome(
            Kind kind,
            @Nullable Integer exitCode,
            String reason,
            @Nullable Instant steadySince,
            @Nullable ServiceStartException failure) {

        enum Kind {
            /** Stopped on request; the message says what was done. */
            STOPPED,
            /** Restart requested: start a new incarnation at once. */
            RESTART,
            /** The process ended on its own (after it was ready, or as a task others wait for). */
            ENDED,
            /** It could not start, or was not ready in time, or ended before it was ready. */
            START_FAILED,
            /** It stopped answering its liveness probe (its tree has been stopped). */
            DEAD,
            /** Its setup command failed: the service fails for good, without a start or a restart. */
            SETUP_FAILED
        }

        static Outcome stopped(String message) {
            return new Outcome(Kind.STOPPED, null, message, null, null);
        }

        static Outcome restart() {
            return new Outcome(Kind.RESTART, null, "", null, null);
        }

        static Outcome ended(int code, @Nullable Instant steadySince) {
            return new Outcome(Kind.ENDED, code, "exited with code " + code, steadySince, null);
        }

        static Outcome startFailed(ServiceStartException failure) {
            return new Outcome(Kind.START_FAILED, null, failure.getMessage(), null, failure);
        }

        static Outcome setupFailed(ServiceStartException failure) {
            return new Outcome(Kind.SETUP_FAILED, null, failure.getMessage(), null, failure);
        }

        static Outcome dead(String reason, @Nullable Instant steadySince) {
            return new Outcome(Kind.DEAD, null, reason, steadySince, null);
        }
    }

    private void run(Milestones m) throws InterruptedException {
        while (true) {
            Outcome outcome = switch (spec.kind()) {
                case PROCESS, DAEMON -> runOwned(m);
                case EXTERNAL -> runExternal(m);
            };
            clearRestart();
            switch (outcome.kind()) {
                case STOPPED -> {
                    settle(m, ServiceState.STOPPED, outcome.reason(), stoppedReason());
                    return;
                }
                case RESTART -> {
                    continue;
                }
                default -> {
                    // decided below
                }
            }
            if (outcome.kind() == Outcome.Kind.SETUP_FAILED) {
                // Running it again would fail the same way: the user has to fix what the setup needs.
                settle(m, ServiceState.FAILED, outcome.reason(), outcome.failure());
                return;
            }
            if (outcome.failure() instanceof ProbeTimeoutException timeout) {
                // Not ready in time: starting it again would only make the user wait as long again.
                settle(m, ServiceState.FAILED, timeout.getMessage(), timeout);
                return;
            }
            boolean success = outcome.kind() == Outcome.Kind.ENDED
                    && spec.successExitCodes().contains(outcome.exitCode());
            if (spec.restart().restarts(success)) {
                Optional<Duration> delay = budget.next(farm.clock().instant(), outcome.steadySince());
                if (delay.isPresent()) {
                    restarts.incrementAndGet();
                    publish(
                            ServiceState.RESTARTING,
                            "restart " + budget.used() + " of " + spec.restart().max() + " in " + millis(delay.get())
                                    + " (" + shortReason(outcome) + ")",
                            List.of());
                    if (!waitOut(delay.get())) {
                        settle(m, ServiceState.STOPPED, "restart cancelled by a stop", stoppedReason());
                        return;
                    }
                    continue;
                }
                if (spec.restart().max() == 0 && outcome.failure() != null) {
                    settle(m, ServiceState.FAILED, outcome.failure().getMessage(), outcome.failure());
                    return;
                }
                ServiceStartException gaveUp = new ServiceStartException(
                        name(),
                        "service '" + name() + "' failed: it ended "
                                + (spec.restart().max() + 1)
                                + " times in a row and restart.max is "
                                + spec.restart().max() + " (last time: "
                                + shortReason(outcome) + ")." + lastLinesHint(),
                        lastLines(),
                        outcome.failure());
                settle(m, ServiceState.FAILED, gaveUp.getMessage(), gaveUp);
                return;
            }
            if (outcome.kind() == Outcome.Kind.ENDED && (success || farm.awaitedToComplete(name()))) {
                int code = outcome.exitCode() == null ? 0 : outcome.exitCode();
                publish(ServiceState.EXITED, "exited with code " + code, List.of());
                m.started.complete(null);
                m.ready.complete(null); // a one-shot task that is done is as good as ready
                m.exited.complete(code);
                failWaiters(new ServiceStartException(name(), "service '" + name() + "' exited", List.of(), null));
                return;
            }
            ServiceStartException failure = outcome.failure() != null
                    ? outcome.failure()
                    : new ServiceStartException(
                            name(),
                            "service '" + name() + "' " + outcome.reason()
                                    + (farm.isStarting() ? " while starting" : "") + "." + lastLinesHint(),
                            lastLines(),
                            null);
            settle(m, ServiceState.FAILED, failure.getMessage(), failure);
            return;
        }
    }

    /** Ends the generation in a final state, failing whatever was not reached. */
    private void settle(Milestones m, ServiceState finalState, String text, @Nullable ServiceStartException reason) {
        ServiceStartException cause = reason != null ? reason : stoppedReason();
        boolean failure = finalState == ServiceState.FAILED;
        if (failure) {
            farm.failing(cause);
        }
        publish(finalState, text, failure ? cause.lastLines() : List.of());
        failWaiters(cause);
        m.fail(cause); // dependents still waiting are skipped here, on this thread
        if (failure) {
            farm.failed();
        }
    }

    private ServiceStartException stoppedReason() {
        return new DefaultProcessSupervisor.Cancelled(name());
    }

    private String lastLinesHint() {
        return lastLines().isEmpty() ? " It printed nothing." : " Its last lines are above.";
    }

    private static String shortReason(Outcome outcome) {
        String reason = outcome.reason();
        if (outcome.failure() instanceof ProbeTimeoutException timeout) {
            return "not ready after " + millis(timeout.timeout()) + ": " + timeout.lastFailure();
        }
        String prefix = "service '";
        if (reason.startsWith(prefix)) {
            int end = reason.indexOf("' ", prefix.length());
            if (end > 0) {
                reason = reason.substring(end + 2);
            }
        }
        int sentence = reason.indexOf(". ");
        if (sentence > 0) {
            return reason.substring(0, sentence);
        }
        return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
    }

    static String millis(Duration duration) {
        long ms = duration.toMillis();
        if (ms >= 1000 && ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return ms + " ms";
    }

    /**
     * Waits out a restart delay.
     *
     * @return false when a stop came meanwhile; true when the delay passed or a restart was asked for
     */
    private boolean waitOut(Duration delay) throws InterruptedException {
        long left = delay.toNanos();
        lock.lock();
        try {
            while (left > 0 && !stopWanted && !restartWanted) {
                left = changed.awaitNanos(left);
            }
            restartWanted = false;
            return !stopWanted;
        } finally {
            lock.unlock();
        }
    }

    private void clearRestart() {
        lock.lock();
        try {
            restartWanted = false;
        } finally {
            lock.unlock();
        }
    }

    private boolean stopWanted() {
        return locked(() -> stopWanted);
    }

    private enum Wake {
        NOTHING,
        STOP,
        RESTART,
        EXIT,
        READY
    }

    /** Waits up to {@code nanos} for a stop, a restart or the incarnation's exit, whichever comes first. */
    private Wake await(@Nullable Incarnation inc, long nanos) throws InterruptedException {
        long left = nanos;
        lock.lock();
        try {
            while (true) {
                if (stopWanted) {
                    return Wake.STOP;
                }
                if (restartWanted) {
                    return Wake.RESTART;
                }
                if (inc != null && !inc.process.isAlive()) {
                    return Wake.EXIT;
                }
                if (left <= 0) {
                    return Wake.NOTHING;
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    // -------------------------------------------------------------------------------------- process and daemon

    private Outcome runOwned(Milestones m) throws InterruptedException {
        if (spec.adopt()) {
            ProbeResult result = spec.readiness().orElseThrow().check();
            if (result.passed()) {
                return runAdopted(m);
            }
        }
        adopted = false;
        if (spec.setup().isPresent() && !setupDone) {
            Outcome setup = runSetup(spec.setup().get());
            if (setup != null) {
                return setup;
            }
        }
        Incarnation inc;
        try {
            inc = launch(spec.command(), true);
        } catch (DefaultProcessSupervisor.Cancelled e) {
            return Outcome.stopped("");
        } catch (ServiceStartException e) {
            return Outcome.startFailed(e);
        }
        m.started.complete(null);
        return spec.kind() == ServiceKind.DAEMON ? superviseDaemon(m, inc) : superviseProcess(m, inc);
    }

    private Outcome superviseProcess(Milestones m, Incarnation inc) throws InterruptedException {
        Optional<HealthProbe> probe = spec.readiness();
        if (probe.isPresent()) {
            Polled polled = pollUntilReady(probe.get(), inc, spec.readyTimeout());
            switch (polled.wake()) {
                case STOP, RESTART -> {
                    return stopIncarnation(inc, polled.wake());
                }
                case EXIT -> {
                    return endedBeforeReady(inc);
                }
                case NOTHING -> {
                    stopTree(inc);
                    return Outcome.startFailed(polled.timeout());
                }
                default -> {
                    // ready
                }
            }
        }
        Instant steady = becameReady(m, probe.map(HealthProbe::description).orElse("started (no readiness probe)"));
        return monitor(inc, steady);
    }

    /** How polling a readiness probe ended: READY, a stop or restart request, the process's exit, or the deadline. */
    private record Polled(Wake wake, @Nullable ProbeTimeoutException timeout) {}

    /**
     * Tries the probe on the start schedule until it passes, the incarnation (when given) exits, a stop or restart is
     * asked for, or the timeout passes ({@link Wake#NOTHING}, with the timeout's failure).
     */
    private Polled pollUntilReady(HealthProbe probe, @Nullable Incarnation inc, Duration timeout)
            throws InterruptedException {
        ProbeSchedule schedule = new ProbeSchedule(farm.clock(), timeout);
        ReadinessWait wait =
                new ReadinessWait(name(), probe.description(), "", farm.clock().instant(), 0);
        waiting = wait;
        try {
            return poll(probe, inc, schedule, wait);
        } finally {
            waiting = null;
        }
    }

    private Polled poll(HealthProbe probe, @Nullable Incarnation inc, ProbeSchedule schedule, ReadinessWait first)
            throws InterruptedException {
        ReadinessWait wait = first;
        while (true) {
            Wake wake = await(inc, 0);
            if (wake != Wake.NOTHING) {
                return new Polled(wake, null);
            }
            ProbeResult result = probe.check();
            if (result.passed()) {
                return new Polled(Wake.READY, null);
            }
            wait = new ReadinessWait(name(), wait.probe(), result.detail(), wait.since(), wait.attempts() + 1);
            waiting = wait;
            Optional<Duration> pause = schedule.pauseAfter(result.listening());
            if (pause.isEmpty()) {
                return new Polled(
                        Wake.NOTHING,
                        new ProbeTimeoutException(
                                name(), probe.description(), spec.readyTimeout(), result.detail(), lastLines()));
            }
            wake = await(inc, pause.get().toNanos());
            if (wake != Wake.NOTHING) {
                return new Polled(wake, null);
            }
        }
    }

    /** The process ended before its probe passed. */
    private Outcome endedBeforeReady(Incarnation inc) {
        int code = inc.process.exitValue();
        cleanUpAfterExit(inc);
        boolean success = spec.successExitCodes().contains(code);
        if (farm.awaitedToComplete(name()) || (success && farm.hasExitDependents(name()))) {
            return Outcome.ended(code, null);
        }
        return Outcome.startFailed(new ServiceStartException(
                name(),
                "service '" + name() + "' exited with code " + code + " before it was ready." + lastLinesHint(),
                lastLines(),
                null));
    }

    /** Watches a ready process: its exit, its liveness, stop and restart requests. */
    private Outcome monitor(@Nullable Incarnation inc, Instant steady) throws InterruptedException {
        int failures = 0;
        String lastFailure = "";
        while (true) {
            long wait = spec.liveness().map(l -> l.every().toNanos()).orElse(Long.MAX_VALUE);
            Wake wake = await(inc, wait);
            switch (wake) {
                case STOP, RESTART -> {
                    return inc == null ? wakeWithoutProcess(wake) : stopIncarnation(inc, wake);
                }
                case EXIT -> {
                    int code = inc.process.exitValue();
                    cleanUpAfterExit(inc);
                    return Outcome.ended(code, steady);
                }
                default -> {
                    // time for a liveness attempt
                }
            }
            HealthProbe probe = spec.liveness().orElseThrow().probe();
            ProbeResult result = probe.check();
            if (result.passed()) {
                failures = 0;
                continue;
            }
            failures++;
            lastFailure = result.detail();
            int allowed = spec.liveness().get().failures();
            if (failures < allowed) {
                LOG.debug("{}: liveness attempt failed ({} of {}): {}", name(), failures, allowed, lastFailure);
                continue;
            }
            String reason = "stopped answering: " + probe.description() + ", " + failures
                    + " attempts in a row failed, last: " + lastFailure;
            if (inc != null) {
                publish(ServiceState.STOPPING, reason, List.of());
                stopTree(inc);
            }
            return Outcome.dead(reason, steady);
        }
    }

    private Outcome wakeWithoutProcess(Wake wake) {
        if (wake == Wake.RESTART) {
            return Outcome.restart();
        }
        return Outcome.stopped(
                adopted ? "left running: farm adopted it and does not own it" : "left running: farm does not own it");
    }

    private Outcome stopIncarnation(Incarnation inc, Wake wake) {
        publish(ServiceState.STOPPING, wake == Wake.RESTART ? "restarting" : "", List.of());
        List<Long> survivors = stopTree(inc);
        if (wake == Wake.RESTART) {
            return Outcome.restart();
        }
        return survivors.isEmpty()
                ? Outcome.stopped("")
                : new Outcome(Outcome.Kind.STOPPED, null, "processes " + survivors + " survived SIGKILL", null, null);
    }

    /** A daemon's start command runs; once it exited with success, the probe tells when the daemon is ready. */
    private Outcome superviseDaemon(Milestones m, Incarnation starter) throws InterruptedException {
        Instant deadline = farm.clock().instant().plus(spec.readyTimeout());
        while (starter.process.isAlive()) {
            Duration left = Duration.between(farm.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                stopTree(starter);
                runStopCommand();
                return Outcome.startFailed(new ServiceStartException(
                        name(),
                        "service '" + name() + "': its start command '" + String.join(" ", spec.command())
                                + "' was still running after " + millis(spec.readyTimeout())
                                + ". A daemon's start command must exit once the daemon runs; if this one stays in"
                                + " the foreground, remove 'kind: daemon'.",
                        lastLines(),
                        null));
            }
            Wake wake = await(starter, Math.min(left.toNanos(), TimeUnit.MILLISECONDS.toNanos(250)));
            if (wake == Wake.STOP || wake == Wake.RESTART) {
                publish(ServiceState.STOPPING, wake == Wake.RESTART ? "restarting" : "", List.of());
                stopTree(starter);
                runStopCommand();
                return wake == Wake.RESTART ? Outcome.restart() : Outcome.stopped("");
            }
        }
        int code = starter.process.exitValue();
        lastExit = code;
        // The daemon may keep the starter's pipes open: read what came, never wait for their end.
        starter.awaitOutput(Duration.ofMillis(100));
        if (!spec.successExitCodes().contains(code)) {
            stopTree(starter);
            return Outcome.startFailed(new ServiceStartException(
                    name(),
                    "service '" + name() + "': its start command exited with code " + code + "." + lastLinesHint(),
                    lastLines(),
                    null));
        }
        armDaemonStop(); // the daemon runs outside every group the reaper kills: it needs its stop command
        HealthProbe probe = spec.readiness().orElse(null);
        if (probe != null) {
            Duration left = Duration.between(farm.clock().instant(), deadline);
            Polled polled = pollUntilReady(probe, null, left.isNegative() ? Duration.ofMillis(1) : left.plusMillis(1));
            if (polled.wake() == Wake.NOTHING) {
                runStopCommand();
                stopTree(starter);
                return Outcome.startFailed(polled.timeout());
            }
            if (polled.wake() != Wake.READY) {
                publish(ServiceState.STOPPING, polled.wake() == Wake.RESTART ? "restarting" : "", List.of());
                runStopCommand();
                stopTree(starter);
                return polled.wake() == Wake.RESTART ? Outcome.restart() : Outcome.stopped("");
            }
        }
        Instant steady = becameReady(m, probe == null ? "its start command succeeded" : probe.description());
        Outcome outcome = monitor(null, steady);
        if (outcome.kind() == Outcome.Kind.STOPPED || outcome.kind() == Outcome.Kind.RESTART) {
            publish(ServiceState.STOPPING, outcome.kind() == Outcome.Kind.RESTART ? "restarting" : "", List.of());
            runStopCommand();
            List<Long> survivors = stopTree(starter);
            if (outcome.kind() == Outcome.Kind.RESTART) {
                return outcome;
            }
            return survivors.isEmpty()
                    ? Outcome.stopped("")
                    : Outcome.stopped("processes " + survivors + " survived SIGKILL");
        }
        // Dead: make sure nothing of it is half alive before the next start.
        runStopCommand();
        stopTree(starter);
        return outcome;
    }

    /**
     * Runs the service's setup command to its end, as STARTING: its output is the service's, a stop ends it.
     *
     * @return null once it succeeded; otherwise how the start ends: stopped, restarted, or the setup failed
     */
    private @Nullable Outcome runSetup(List<String> template) throws InterruptedException {
        if (stopWanted()) {
            return Outcome.stopped("");
        }
        OptionalInt chosen;
        try {
            chosen = resolvePort(); // a port taken by someone else fails now, not after a long npm install
        } catch (ServiceStartException e) {
            return Outcome.startFailed(e);
        }
        List<String> command = substitute(template, chosen);
        String shown = String.join(" ", command);
        Instant began = farm.clock().instant();
        Incarnation setup;
        try {
            setup = start(command, environment(chosen));
        } catch (ServiceStartException e) {
            return Outcome.setupFailed(new ServiceStartException(
                    name(),
                    "service '" + name() + "' failed: its setup '" + shown + "' could not start: " + e.getMessage()
                            + ". Install what it needs, or fix services." + name() + ".setup.",
                    List.of(),
                    e));
        }
        setupRun = setup;
        farm.launched(this, setup, "setup: " + shown, OptionalInt.empty());
        publish(ServiceState.STARTING, "running setup: " + shown, List.of());
        startReaders(setup);
        Wake wake = await(setup, Long.MAX_VALUE);
        if (wake == Wake.STOP || wake == Wake.RESTART) {
            publish(ServiceState.STOPPING, "stopping its setup", List.of());
            stopTree(setup);
            setupRun = null;
            return wake == Wake.RESTART ? Outcome.restart() : Outcome.stopped("setup stopped");
        }
        int code = setup.process.exitValue();
        setup.awaitOutput(OUTPUT_DRAIN);
        stopTree(setup); // whatever it left in its group
        setupRun = null;
        String took = millis(Duration.between(began, farm.clock().instant()));
        if (code != 0) {
            lastExit = code;
            return Outcome.setupFailed(new ServiceStartException(
                    name(),
                    "service '" + name() + "' failed: its setup '" + shown + "' exited with code " + code + " after "
                            + took + "." + lastLinesHint() + " Fix it and run farm again; the service was not"
                            + " started.",
                    lastLines(),
                    null));
        }
        setupDone = true;
        publish(ServiceState.STARTING, "setup done in " + took, List.of());
        return null;
    }

    /**
     * Hands the daemon's stop command to the reaper, which runs it if farm dies without stopping the daemon: the
     * daemon left the start command's process group, so killing the groups does not end it.
     */
    private void armDaemonStop() {
        Optional<List<String>> stop = spec.stopCommand();
        Optional<Reaper> reaper = farm.reaper();
        if (stop.isEmpty() || reaper.isEmpty() || daemonStopScript != null) {
            return;
        }
        Map<String, String> env = environment(port);
        List<String> command = new ArrayList<>(substitute(stop.get(), port));
        try {
            command.set(0, Programs.resolve(spec, command.get(0), env));
        } catch (RuntimeException e) {
            LOG.debug("{}: its stop command's program is not found now: {}", name(), e.toString());
        }
        Optional<Path> script =
                DaemonStopScript.write(name(), spec.workingDirectory(), env, command, spec.stopTimeout());
        script.ifPresent(file -> {
            daemonStopScript = file;
            reaper.get().registerDaemon(file);
        });
    }

    /** Takes the stop command back from the reaper: farm ran it. */
    private void disarmDaemonStop() {
        Path script = daemonStopScript;
        if (script == null) {
            return;
        }
        daemonStopScript = null;
        farm.reaper().ifPresent(reaper -> reaper.unregisterDaemon(script));
        try {
            Files.deleteIfExists(script);
        } catch (IOException e) {
            LOG.debug("{}: cannot delete {}: {}", name(), script, e.toString());
        }
    }

    /** Runs a daemon's stop command, bounded by the stop timeout; its output goes to the service's log. */
    private void runStopCommand() {
        Optional<List<String>> stop = spec.stopCommand();
        if (stop.isEmpty()) {
            return;
        }
        Incarnation stopper;
        try {
            stopper = launchHelper(stop.get());
        } catch (ServiceStartException e) {
            LOG.warn("{}: cannot run its stop command: {}", name(), e.getMessage());
            farm.deliver(this, LogLine.Stream.STDERR, "[farm] cannot run the stop command: " + e.getMessage());
            return;
        }
        try {
            if (!stopper.process.waitFor(spec.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                farm.deliver(
                        this,
                        LogLine.Stream.STDERR,
                        "[farm] the stop command was still running after " + millis(spec.stopTimeout())
                                + "; killing it");
            } else if (stopper.process.exitValue() != 0) {
                farm.deliver(
                        this,
                        LogLine.Stream.STDERR,
                        "[farm] the stop command exited with code " + stopper.process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopper.awaitOutput(Duration.ofMillis(200));
            stopTree(stopper);
            disarmDaemonStop();
        }
    }

    private Outcome runAdopted(Milestones m) throws InterruptedException {
        adopted = true;
        m.started.complete(null);
        HealthProbe probe = spec.readiness().orElseThrow();
        Instant steady = becameReady(m, "adopted: " + probe.description() + " passed before farm started it");
        Outcome outcome = monitor(null, steady);
        if (outcome.kind() == Outcome.Kind.DEAD) {
            adopted = false;
            return outcome;
        }
        return outcome;
    }

    private Outcome runExternal(Milestones m) throws InterruptedException {
        HealthProbe probe = spec.readiness().orElseThrow();
        publish(ServiceState.STARTING, "external: waiting until " + probe.description(), List.of());
        m.started.complete(null);
        Polled polled = pollUntilReady(probe, null, spec.readyTimeout());
        switch (polled.wake()) {
            case STOP -> {
                return Outcome.stopped("left running: farm does not own it");
            }
            case RESTART -> {
                return Outcome.restart();
            }
            case NOTHING -> {
                return Outcome.startFailed(polled.timeout());
            }
            default -> {
                // ready
            }
        }
        Instant steady = becameReady(m, probe.description());
        return monitor(null, steady);
    }

    private Instant becameReady(Milestones m, String text) {
        Instant now = farm.clock().instant();
        List<CompletableFuture<Void>> waiters;
        lock.lock();
        try {
            publish(ServiceState.READY, text, List.of());
            waiters = List.copyOf(readyWaiters);
            readyWaiters.clear();
        } finally {
            lock.unlock();
        }
        m.started.complete(null);
        m.ready.complete(null);
        waiters.forEach(w -> w.complete(null));
        return now;
    }

    private void failWaiters(ServiceStartException reason) {
        List<CompletableFuture<Void>> waiters;
        lock.lock();
        try {
            waiters = List.copyOf(readyWaiters);
            readyWaiters.clear();
        } finally {
            lock.unlock();
        }
        waiters.forEach(w -> w.completeExceptionally(reason));
    }

    // ----------------------------------------------------------------------------------------------- launching

    /** Starts a new incarnation of the service's command: port check, environment, session leader, output readers. */
    private Incarnation launch(List<String> template, boolean announce) {
        if (stopWanted()) {
            throw new DefaultProcessSupervisor.Cancelled(name());
        }
        OptionalInt chosen = resolvePort();
        Map<String, String> env = environment(chosen);
        List<String> command = substitute(template, chosen);
        lineProbes.forEach(LogLineProbe::reset);
        heartbeats.forEach(HeartbeatProbe::reset);
        lastHeartbeat = null;
        int number = incarnations + 1;
        Incarnation inc = start(command, env);
        incarnations = number;
        current = inc;
        lastExit = null;
        if (announce) {
            // Announce the process before its first line; until the readers start, the pipes hold the output.
            publish(ServiceState.STARTING, String.join(" ", command), List.of());
        }
        startReaders(inc);
        farm.launched(this, inc, String.join(" ", command), chosen);
        return inc;
    }

    /** Starts a helper (a daemon's stop command): same environment and folder, not an incarnation. */
    private Incarnation launchHelper(List<String> template) {
        OptionalInt chosen = port;
        Map<String, String> env = environment(chosen);
        Incarnation helper = start(substitute(template, chosen), env);
        startReaders(helper);
        return helper;
    }

    private Incarnation start(List<String> command, Map<String, String> env) {
        List<String> argv = new ArrayList<>(ProcessTree.sessionLeaderPrefix());
        argv.add(Programs.resolve(spec, command.get(0), env));
        argv.addAll(command.subList(1, command.size()));
        ProcessBuilder builder =
                new ProcessBuilder(argv).directory(spec.workingDirectory().toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Optional<OutputPipes> fifos = OutputPipes.create();
        List<OutputPump> pumps = new ArrayList<>();
        fifos.ifPresent(pipes -> {
            builder.redirectOutput(pipes.out.toFile()).redirectError(pipes.err.toFile());
            pumps.add(pump(() -> new FileInputStream(pipes.out.toFile()), LogLine.Stream.STDOUT));
            pumps.add(pump(() -> new FileInputStream(pipes.err.toFile()), LogLine.Stream.STDERR));
        });
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fifos.ifPresent(OutputPipes::release);
            pumps.forEach(OutputPump::begin);
            throw new ServiceStartException(
                    name(),
                    "service '" + name() + "' could not start " + String.join(" ", command) + " in "
                            + spec.workingDirectory() + ": " + e.getMessage(),
                    List.of(),
                    e);
        }
        fifos.ifPresent(OutputPipes::unlink);
        if (fifos.isEmpty()) {
            pumps.add(pump(process::getInputStream, LogLine.Stream.STDOUT));
            pumps.add(pump(process::getErrorStream, LogLine.Stream.STDERR));
        }
        boolean leader = !ProcessTree.sessionLeaderPrefix().isEmpty();
        Incarnation inc =
                new Incarnation(incarnations + 1, process, farm.clock().instant(), leader);
        inc.pumps.addAll(pumps);
        if (leader) {
            farm.reaper().ifPresent(r -> r.register(process.pid()));
        }
        try {
            process.getOutputStream().close(); // services read end-of-file on standard input
        } catch (IOException e) {
            LOG.debug("cannot close standard input of pid {}: {}", process.pid(), e.toString());
        }
        var unused = process.onExit().thenRun(this::signal);
        return inc;
    }

    /** Lets the incarnation's readers hand over lines, once it has been announced. */
    private static void startReaders(Incarnation inc) {
        inc.pumps.forEach(OutputPump::begin);
    }

    private OutputPump pump(OutputPump.Opener opener, LogLine.Stream stream) {
        OutputPump pump = new OutputPump(opener, text -> farm.deliver(this, stream, text));
        Thread thread = Threads.factory("output-" + name() + "-" + stream.name().toLowerCase(Locale.ROOT))
                .newThread(pump);
        thread.start();
        return pump;
    }

    /** The port for the next incarnation, checked to be free: fixed, or picked by farm for {@code auto}. */
    private OptionalInt resolvePort() {
        OptionalInt wanted = spec.autoPort() ? port : spec.port();
        if (spec.autoPort()) {
            if (wanted.isEmpty() || PortCheck.holder(wanted.getAsInt()).isPresent()) {
                wanted = OptionalInt.of(freePort());
            }
            port = wanted;
            return wanted;
        }
        if (wanted.isPresent()) {
            int p = wanted.getAsInt();
            PortCheck.holder(p).ifPresent(holder -> {
                throw new ServiceStartException(
                        name(),
                        "service '" + name() + "' cannot start: port " + p + " is already in use by "
                                + holder.describe() + ". Stop that process, or give the service another port.",
                        List.of(),
                        null);
            });
        }
        return wanted;
    }

    private int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ServiceStartException(
                    name(), "service '" + name() + "' cannot start: no free port: " + e.getMessage(), List.of(), e);
        }
    }

    private Map<String, String> environment(OptionalInt chosen) {
        Map<String, String> own;
        if (spec.freshEnvironment().isPresent()) {
            try {
                own = spec.freshEnvironment().get().get();
            } catch (RuntimeException e) {
                throw new ServiceStartException(
                        name(),
                        "service '" + name() + "' cannot start: its environment could not be read: " + e.getMessage(),
                        List.of(),
                        e);
            }
        } else {
            own = spec.environment();
        }
        Map<String, String> env = new LinkedHashMap<>(farm.baseEnvironment());
        // Children see pipes, not a terminal: keep their output unbuffered and coloured, as if someone watched.
        env.putIfAbsent("PYTHONUNBUFFERED", "1");
        if (!farm.baseEnvironment().containsKey("NO_COLOR") && !own.containsKey("NO_COLOR")) {
            env.putIfAbsent("FORCE_COLOR", "1");
        }
        chosen.ifPresent(p -> env.put("PORT", Integer.toString(p)));
        own.forEach((key, value) -> env.put(key, substitute(value, chosen)));
        return env;
    }

    private static List<String> substitute(List<String> words, OptionalInt chosen) {
        return words.stream().map(w -> substitute(w, chosen)).collect(Collectors.toList());
    }

    private static String substitute(String text, OptionalInt chosen) {
        return chosen.isPresent() && text.contains("${port}")
                ? text.replace("${port}", Integer.toString(chosen.getAsInt()))
                : text;
    }

    // ------------------------------------------------------------------------------------------------ stopping

    /** After the leader exited on its own: read its last lines, then end what it left of its tree. */
    private void cleanUpAfterExit(Incarnation inc) {
        lastExit = inc.process.exitValue();
        inc.awaitOutput(OUTPUT_DRAIN);
        if (inc.groupLeader && ProcessTree.groupMembers(inc.pid()).isEmpty()) {
            inc.groupGone = true; // from now on its id may be reused, so it must never be signalled again
        }
        stopTree(inc);
    }

    /**
     * Ends an incarnation's whole process tree and forgets it once nothing is left.
     *
     * @return the pids that survived even SIGKILL
     */
    List<Long> stopTree(Incarnation inc) {
        // Forced (a second Ctrl-C): no grace, SIGKILL right after the stop signal.
        Duration grace = farm.forced() ? Duration.ZERO : spec.stopTimeout();
        List<Long> survivors = TreeStopper.terminate(inc, spec.stopSignal(), grace, name(), farm.reaper());
        try {
            // Gone from /proc, but Java may not have reaped it yet: its exit code comes a moment later.
            if (survivors.isEmpty() && inc.process.waitFor(1, TimeUnit.SECONDS)) {
                lastExit = inc.process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inc.awaitOutput(OUTPUT_DRAIN);
        if (survivors.isEmpty()) {
            inc.groupGone = true;
            if (inc.groupLeader) {
                farm.reaper().ifPresent(r -> r.unregister(inc.pid())); // gone: its id may be reused by anyone now
            }
            farm.gone(this, inc);
        }
        return survivors;
    }

    /** Kills whatever is left of the current incarnation at once: the shutdown deadline has passed. */
    void forceKill() {
        Incarnation setup = setupRun;
        if (setup != null && !setup.groupGone) {
            TreeStopper.kill(setup, farm.reaper());
        }
        Incarnation inc = current;
        if (inc != null && !inc.groupGone) {
            TreeStopper.kill(inc, farm.reaper());
        }
    }

    // -------------------------------------------------------------------------------------------------- output

    /** Remembers a line; called on the output-reading thread before the line reaches the sinks. */
    void remember(LogLine line) {
        recent.add(line);
        String text = line.text().length() > LAST_LINE_CHARS
                ? line.text().substring(0, LAST_LINE_CHARS) + "..."
                : line.text();
        synchronized (stderrTail) {
            ArrayDeque<String> tail = line.stream() == LogLine.Stream.STDERR ? stderrTail : outputTail;
            if (tail.size() == LAST_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        for (LogLineProbe probe : lineProbes) {
            probe.accept(line);
        }
        Milestones m = milestones; // a racy read is fine: a new generation's watches look at recent lines too
        m.line(line.text());
    }

    /** The last lines of standard error, or of standard output when nothing was written on standard error. */
    List<String> lastLines() {
        synchronized (stderrTail) {
            return List.copyOf(stderrTail.isEmpty() ? outputTail : stderrTail);
        }
    }

    List<LogLine> recentLines() {
        return recent.all();
    }

    // -------------------------------------------------------------------------------------------------- status

    private void publish(ServiceState next, String text, List<String> lines) {
        boolean ending = next == ServiceState.RESTARTING || next.isFinal();
        if (ending && current != null && !lock.isHeldByCurrentThread()) {
            farm.flushLogs(); // the event comes after the lines it refers to
        }
        farm.emit(this, next, text, lines);
    }

    /** Called by the supervisor under its event lock. */
    void entered(ServiceState next, String text, Instant when) {
        state = next;
        message = text;
        since = when;
    }

    ServiceEvent event(ServiceState next, String text, Instant when, List<String> lines) {
        Incarnation inc = current;
        Incarnation setup = setupRun;
        if (inc == null && setup != null) {
            // Before the first start its setup is the service's process; it is no incarnation of it.
            return new ServiceEvent(
                    name(),
                    next,
                    when,
                    OptionalLong.of(setup.pid()),
                    OptionalInt.empty(),
                    text,
                    0,
                    Optional.of(setup.started),
                    lines);
        }
        Integer code = lastExit;
        return new ServiceEvent(
                name(),
                next,
                when,
                inc == null ? OptionalLong.empty() : OptionalLong.of(inc.pid()),
                code == null ? OptionalInt.empty() : OptionalInt.of(code),
                text,
                inc == null ? 0 : inc.number,
                inc == null ? Optional.empty() : Optional.of(inc.started),
                lines);
    }

    ServiceStats stats() {
        Incarnation inc = current;
        if (inc == null || (inc.groupGone && !inc.process.isAlive())) {
            return new ServiceStats(
                    0, Duration.ZERO, 0, OptionalLong.empty(), farm.clock().instant());
        }
        return stats.sample(inc.pid(), inc.groupLeader && !inc.groupGone, farm.clock());
    }

    ServiceStatus status() {
        Incarnation inc = current;
        Integer code = lastExit;
        boolean alive = inc != null && inc.process.isAlive();
        return new ServiceStatus(
                name(),
                spec.kind(),
                state,
                since,
                alive ? OptionalLong.of(inc.pid()) : OptionalLong.empty(),
                port,
                incarnations,
                restarts.get(),
                inc == null ? Optional.empty() : Optional.of(inc.started),
                code == null ? OptionalInt.empty() : OptionalInt.of(code),
                adopted,
                message,
                Optional.ofNullable(lastHeartbeat));
    }
}
