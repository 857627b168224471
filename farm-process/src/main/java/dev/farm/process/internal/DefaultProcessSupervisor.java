package dev.farm.process.internal;

import dev.farm.process.AlreadyRunningException;
import dev.farm.process.DependencyCondition;
import dev.farm.process.LogLine;
import dev.farm.process.ProcessException;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceStartException;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStats;
import dev.farm.process.ServiceStatus;
import dev.farm.process.spi.LogSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ProcessSupervisor}: one {@link ServiceRunner} per service, each running its loop on a worker
 * thread while active, two reader threads per running process, and the platform's process groups through {@link
 * ProcessTree}.
 *
 * <p>Events are delivered under one supervisor-wide lock, so listeners see every service's events in the order its
 * state changed. The supervisor's own lifecycle changes under {@link #lifecycleLock}.
 */
public final class DefaultProcessSupervisor implements ProcessSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultProcessSupervisor.class);

    /** How often a slow shutdown names what it is waiting for. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /** How long an event waits for the lines before it to reach the sinks. */
    private static final Duration LOG_FLUSH = Duration.ofSeconds(1);

    /**
     * What {@link ProcessSupervisor.Builder} collected.
     *
     * @param specs the services
     * @param listeners the event listeners
     * @param sinks the log sinks
     * @param clock the clock for event times and deadlines
     * @param environment the environment services inherit
     * @param stateFile where to keep the state file, if anywhere
     * @param shutdownTimeout how long {@link #close()} may take before it kills what is left
     * @param recentLines how many lines per service {@link #recentLines(String)} keeps
     */
    public record Settings(
            List<ServiceSpec> specs,
            List<Consumer<ServiceEvent>> listeners,
            List<LogSink> sinks,
            Clock clock,
            Map<String, String> environment,
            Optional<Path> stateFile,
            Duration shutdownTimeout,
            int recentLines) {

        /**
         * Copies the lists.
         *
         * @param specs the services
         * @param listeners the event listeners
         * @param sinks the log sinks
         * @param clock the clock for event times and deadlines
         * @param environment the environment services inherit
         * @param stateFile where to keep the state file, if anywhere
         * @param shutdownTimeout how long {@link #close()} may take before it kills what is left
         * @param recentLines how many lines per service {@link #recentLines(String)} keeps
         */
        public Settings {
            specs = List.copyOf(specs);
            listeners = List.copyOf(listeners);
            sinks = List.copyOf(sinks);
            environment = Map.copyOf(environment);
        }
    }

    private enum Lifecycle {
        NEW,
        STARTING,
        RUNNING,
        CLOSING,
        CLOSED
    }

    /** The services and their order; replaced as a whole when a service's spec is updated. */
    private volatile Graph graph;

    private final int recentLines;
    private final Object graphLock = new Object();
    private final List<Consumer<ServiceEvent>> listeners;
    /** The caller's sinks, each behind its own queue and thread, so a slow sink never blocks a child. */
    private final List<AsyncLogSink> sinks;

    private final List<LogSink> callerSinks;
    private final Optional<StateFile> stateFile;
    private final Clock clock;
    private final Map<String, String> environment;
    private final Duration shutdownTimeout;
    private final ExecutorService workers = Executors.newCachedThreadPool(Threads.factory("worker"));
    private final Object lifecycleLock = new Object();
    private final Object eventLock = new Object();
    private final AtomicReference<@Nullable ServiceStartException> firstFailure = new AtomicReference<>();
    private final CompletableFuture<Void> startFailure = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Kills the registered groups if this JVM dies without closing; absent where groups are not supported. */
    private volatile Optional<Reaper> reaper = Optional.empty();

    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    /** Set by {@link #kill()}: every stop from now on kills without grace. */
    private volatile boolean forced;

    /**
     * Creates a supervisor; use {@link ProcessSupervisor#builder()}.
     *
     * @param settings what the builder collected
     * @throws IllegalArgumentException when a service depends on one that was not added, or dependencies form a cycle
     */
    public DefaultProcessSupervisor(Settings settings) {
        this.listeners = settings.listeners();
        this.callerSinks = settings.sinks();
        this.sinks = settings.sinks().stream()
                .map(sink -> sink instanceof AsyncLogSink async // LogSinks.files() queues already
                        ? async
                        : new AsyncLogSink(sink, AsyncLogSink.DEFAULT_BYTE_BUDGET, false))
                .collect(java.util.stream.Collectors.toList());
        this.stateFile = settings.stateFile().map(StateFile::new);
        this.clock = settings.clock();
        this.environment = settings.environment();
        this.shutdownTimeout = settings.shutdownTimeout();
        this.recentLines = settings.recentLines();
        Map<String, ServiceRunner> runners = new LinkedHashMap<>();
        for (ServiceSpec spec : settings.specs()) {
            runners.put(spec.name(), new ServiceRunner(spec, this, recentLines));
        }
        this.graph = Graph.of(runners);
    }

    /** The runners in the order they were added, the start order, and who depends on whom. */
    private record Graph(
            Map<String, ServiceRunner> runners, List<String> startOrder, Map<String, List<String>> dependents) {

        /**
         * Checks the dependencies and orders the services.
         *
         * @throws IllegalArgumentException when a service depends on one that is missing, or on a cycle
         */
        static Graph of(Map<String, ServiceRunner> runners) {
            Map<String, List<String>> dependents = new LinkedHashMap<>();
            runners.keySet().forEach(name -> dependents.put(name, new ArrayList<>()));
            List<ServiceSpec> specs = new ArrayList<>();
            for (ServiceRunner runner : runners.values()) {
                specs.add(runner.spec);
                for (String dependency : runner.spec.dependencies().keySet()) {
                    if (!dependents.containsKey(dependency)) {
                        throw new IllegalArgumentException("service " + runner.name() + " depends on " + dependency
                                + ", which is not among the services " + dependents.keySet());
                    }
                    dependents.get(dependency).add(runner.name());
                }
            }
            List<String> order = DependencyOrder.of(specs);
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            dependents.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
            return new Graph(
                    Collections.unmodifiableMap(new LinkedHashMap<>(runners)),
                    order,
                    Collections.unmodifiableMap(frozen));
        }
    }

    // ------------------------------------------------------------------------------------------------- queries

    @Override
    public List<String> services() {
        return List.copyOf(graph.runners().keySet());
    }

    @Override
    public ServiceState state(String service) {
        return runner(service).state;
    }

    @Override
    public OptionalLong pid(String service) {
        Incarnation inc = runner(service).current;
        return inc == null ? OptionalLong.empty() : OptionalLong.of(inc.pid());
    }

    @Override
    public ServiceStatus status(String service) {
        return runner(service).status();
    }

    @Override
    public List<LogLine> recentLines(String service) {
        return runner(service).recentLines();
    }

    @Override
    public Optional<dev.farm.process.ReadinessWait> waiting(String service) {
        return Optional.ofNullable(runner(service).waiting);
    }

    @Override
    public ServiceStats stats(String service) {
        return runner(service).stats();
    }

    @Override
    public void heartbeat(String service) {
        runner(service).heartbeat();
    }

    ServiceRunner runner(String name) {
        Map<String, ServiceRunner> runners = graph.runners();
        ServiceRunner runner = runners.get(name);
        if (runner == null) {
            throw new IllegalArgumentException("service: " + name + " (expected one of " + runners.keySet() + ")");
        }
        return runner;
    }

    // ---------------------------------------------------------------------------------------------------- start

    @Override
    public void start() {
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException("supervisor is " + describe(lifecycle));
            }
            lifecycle = Lifecycle.STARTING;
        }
        ProcessTree.warnIfUnsupported();
        stateFile.ifPresent(this::cleanStale);
        reaper = Reaper.start();
        List<CompletableFuture<?>> ready = new ArrayList<>();
        Graph now = graph;
        for (String name : now.startOrder()) {
            ServiceRunner runner = now.runners().get(name);
            var unused = runner.activate(); // start() waits on the milestones below
            ready.add(runner.conditionFor(dev.farm.process.Dependency.on(DependencyCondition.READY), "farm"));
        }
        CompletableFuture<Void> allReady = CompletableFuture.allOf(ready.toArray(CompletableFuture<?>[]::new));
        try {
            CompletableFuture.anyOf(allReady, startFailure).get();
        } catch (ExecutionException e) {
            ServiceStartException first = firstFailure.get();
            throw first != null ? first : rethrow(unwrap(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("interrupted while starting services", e);
        }
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.STARTING) {
                throw new ProcessException("the supervisor was closed while starting", null);
            }
            lifecycle = Lifecycle.RUNNING;
        }
        // A service may have failed between the wait above and the change to RUNNING.
        ServiceStartException first = firstFailure.get();
        if (first != null) {
            throw first;
        }
    }

    /** Stops what an earlier run of this project left behind, or refuses to start beside a farm that still runs it. */
    private void cleanStale(StateFile file) {
        StaleProcesses.Result result = StaleProcesses.clean(file, TreeStopper.KILL_WAIT);
        if (result.runningOwner().isPresent()) {
            throw new AlreadyRunningException(result.runningOwner().getAsLong(), file.file());
        }
        for (StateFile.Entry entry : result.stopped()) {
            LOG.warn("stopped {} that an earlier farm left running", entry.describe());
        }
        for (StateFile.Entry entry : result.reused()) {
            LOG.debug("{} is gone; its pid now belongs to another process, left alone", entry.describe());
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new ProcessException("starting services failed: " + failure, failure);
    }

    @Override
    public CompletableFuture<Void> start(String service) {
        ServiceRunner runner = runner(service);
        requireRunning();
        activateWithDependencies(runner);
        return runner.activate();
    }

    /** Starts the dependencies that are not running (stopped, failed or skipped), deepest first. */
    private void activateWithDependencies(ServiceRunner runner) {
        for (String dependency : runner.spec.dependencies().keySet()) {
            ServiceRunner dep = runner(dependency);
            if (!dep.isActive() && dep.state != ServiceState.EXITED) {
                activateWithDependencies(dep);
                var unused = dep.activate();
            }
        }
    }

    @Override
    public CompletableFuture<Void> stop(String service) {
        ServiceRunner runner = runner(service);
        requireRunning();
        return runner.requestStop();
    }

    @Override
    public CompletableFuture<Void> restart(String service) {
        ServiceRunner runner = runner(service);
        requireRunning();
        if (!runner.isActive()) {
            activateWithDependencies(runner);
        }
        return runner.requestRestart();
    }

    @Override
    public CompletableFuture<Void> update(ServiceSpec spec) {
        ServiceRunner old = runner(spec.name());
        requireRunning();
        Map<String, ServiceRunner> check = new LinkedHashMap<>(graph.runners());
        check.put(spec.name(), new ServiceRunner(spec, this, recentLines));
        Graph.of(check); // a missing dependency or a cycle fails here, before anything is stopped
        return old.requestStop().thenCompose(ignored -> {
            ServiceRunner fresh = new ServiceRunner(spec, this, recentLines);
            synchronized (graphLock) {
                requireRunning();
                Map<String, ServiceRunner> runners = new LinkedHashMap<>(graph.runners());
                runners.put(spec.name(), fresh);
                graph = Graph.of(runners);
            }
            activateWithDependencies(fresh);
            return fresh.activate();
        });
    }

    private void requireRunning() {
        Lifecycle now = lifecycle;
        if (now != Lifecycle.STARTING && now != Lifecycle.RUNNING) {
            throw new IllegalStateException("supervisor is " + (now == Lifecycle.NEW ? "not started" : "closed"));
        }
    }

    // ----------------------------------------------------------------------------------- called by the runners

    Clock clock() {
        return clock;
    }

    /** Whether {@link #kill()} was called: stops give no grace. */
    boolean forced() {
        return forced;
    }

    boolean isStarting() {
        return lifecycle == Lifecycle.STARTING;
    }

    Map<String, String> baseEnvironment() {
        return environment;
    }

    Optional<Reaper> reaper() {
        return reaper;
    }

    void submit(Runnable loop, String service) {
        try {
            workers.execute(loop);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("supervisor is closed; cannot run " + service, e);
        }
    }

    /** Whether some service waits for this one with {@link DependencyCondition#COMPLETED}. */
    boolean awaitedToComplete(String service) {
        return graph.runners().values().stream().anyMatch(r -> {
            var dependency = r.spec.dependencies().get(service);
            return dependency != null && dependency.condition() == DependencyCondition.COMPLETED;
        });
    }

    /** Whether some service waits for this one to exit (completed or succeeded). */
    boolean hasExitDependents(String service) {
        return graph.runners().values().stream().anyMatch(r -> {
            var dependency = r.spec.dependencies().get(service);
            return dependency != null
                    && (dependency.condition() == DependencyCondition.COMPLETED
                            || dependency.condition() == DependencyCondition.SUCCEEDED);
        });
    }

    /** Notes a service's final failure first, so that start() throws it rather than what followed from it. */
    void failing(ServiceStartException failure) {
        firstFailure.compareAndSet(null, failure);
    }

    /** A service has failed for good and its dependents have been skipped: fail start() if it is still running. */
    void failed() {
        ServiceStartException first = firstFailure.get();
        if (first != null && lifecycle == Lifecycle.STARTING) {
            startFailure.completeExceptionally(first);
        }
    }

    /** A new incarnation runs. */
    void launched(ServiceRunner runner, Incarnation inc, String command, OptionalInt port) {
        LOG.debug("{}: incarnation {} is pid {}", runner.name(), inc.number, inc.pid());
        stateFile.ifPresent(file -> file.put(new StateFile.Entry(
                runner.name(),
                inc.pid(),
                inc.groupLeader
                        ? inc.pid()
                        : ProcessTree.stat(inc.pid()).map(s -> s.pgrp()).orElse(inc.pid()),
                StateFile.startToken(inc.pid()).orElse(""),
                command,
                port)));
    }

    /** Nothing of an incarnation is left. */
    void gone(ServiceRunner runner, Incarnation inc) {
        LOG.debug("{}: incarnation {} (pid {}) is gone", runner.name(), inc.number, inc.pid());
        stateFile.ifPresent(file -> file.remove(runner.name()));
    }

    /** Hands one output line to the service's memory and to every sink. */
    void deliver(ServiceRunner runner, LogLine.Stream stream, String text) {
        LogLine line = new LogLine(runner.name(), stream, text, clock.instant());
        runner.remember(line);
        for (AsyncLogSink sink : sinks) {
            sink.accept(line); // never blocks, never throws
        }
    }

    /**
     * Waits, boundedly, until every sink has received the lines read so far, so that an event saying "its last lines
     * are above" comes after them.
     */
    void flushLogs() {
        for (AsyncLogSink sink : sinks) {
            sink.flush(LOG_FLUSH);
        }
    }

    void emit(ServiceRunner runner, ServiceState state, String message, List<String> lastLines) {
        synchronized (eventLock) {
            Instant now = clock.instant();
            runner.entered(state, message, now);
            ServiceEvent event = runner.event(state, message, now, lastLines);
            LOG.debug("{} {} {}", runner.name(), state, message);
            for (Consumer<ServiceEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("listener {} failed on {} {}: {}", listener, runner.name(), state, e.toString(), e);
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------- stop

    @Override
    public void close() {
        boolean first;
        synchronized (lifecycleLock) {
            first = lifecycle != Lifecycle.CLOSING && lifecycle != Lifecycle.CLOSED;
            if (first) {
                lifecycle = Lifecycle.CLOSING;
            }
        }
        if (!first) {
            closed.join();
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            // A service stops once everything that depends on it has stopped; independent ones stop in parallel.
            Map<String, CompletableFuture<Void>> stops = new LinkedHashMap<>();
            Graph now;
            synchronized (graphLock) {
                now = graph; // no update replaces a runner from here on: requireRunning() refuses
            }
            Map<String, ServiceRunner> runners = now.runners();
            List<String> reverse = new ArrayList<>(now.startOrder());
            Collections.reverse(reverse);
            for (String name : reverse) {
                CompletableFuture<?>[] before =
                        now.dependents().get(name).stream().map(stops::get).toArray(CompletableFuture<?>[]::new);
                ServiceRunner runner = runners.get(name);
                stops.put(
                        name,
                        CompletableFuture.allOf(before)
                                .handle((ignored, failure) -> null)
                                .thenComposeAsync(ignored -> runner.requestStop(), workers));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(stops.values().toArray(CompletableFuture<?>[]::new));
            if (!awaitReporting(all, deadline)) {
                LOG.warn("stopping took longer than {}: killing what is left", shutdownTimeout);
                runners.values().forEach(ServiceRunner::forceKill);
            }
            // Loops notice the stop at once; wait for them so none outlives close().
            CompletableFuture.allOf(runners.values().stream()
                            .map(ServiceRunner::loopDone)
                            .toArray(CompletableFuture<?>[]::new))
                    .get(TreeStopper.KILL_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CompletionException e) {
            LOG.warn("stopping services failed: {}", e.toString());
        } finally {
            flushLogs();
            for (int i = 0; i < sinks.size(); i++) {
                if (sinks.get(i) != callerSinks.get(i)) {
                    sinks.get(i).close(); // ours; the caller closes what it passed in
                }
            }
            stateFile.ifPresent(StateFile::forgetIfEmpty);
            reaper.ifPresent(Reaper::close);
            workers.shutdown();
            lifecycle = Lifecycle.CLOSED;
            startFailure.completeExceptionally(new ProcessException("the supervisor was closed", null));
            closed.complete(null);
        }
    }

    @Override
    public void kill() {
        forced = true;
        // Every service at once, not dependents first: nothing is left to wait for.
        graph.runners().values().forEach(ServiceRunner::requestKill);
        close(); // or, when another thread closes already, wait until it has finished: soon, nothing has grace now
    }

    /**
     * Waits for every stop until the deadline; every couple of seconds, names the services still stopping.
     *
     * @return false when the deadline passed first
     */
    private boolean awaitReporting(CompletableFuture<Void> all, long deadline) throws InterruptedException {
        long begin = System.nanoTime();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return all.isDone();
            }
            try {
                all.get(Math.min(left, PROGRESS_EVERY.toNanos()), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                Duration waited = Duration.ofNanos(System.nanoTime() - begin);
                for (ServiceRunner runner : graph.runners().values()) {
                    if (runner.state == ServiceState.STOPPING) {
                        Incarnation inc = runner.current;
                        emit(
                                runner,
                                ServiceState.STOPPING,
                                "still stopping after " + ServiceRunner.millis(waited) + " (stop timeout "
                                        + ServiceRunner.millis(runner.spec.stopTimeout()) + ")"
                                        + (inc == null ? "" : ": pid " + inc.pid()),
                                List.of());
                    }
                }
            } catch (ExecutionException e) {
                LOG.warn("stopping services failed: {}", e.toString());
                return true;
            }
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Lifecycle lifecycle) {
        return switch (lifecycle) {
            case STARTING, RUNNING -> "started already";
            case CLOSING, CLOSED -> "closed";
            default -> "new";
        };
    }

    /** A start that was abandoned because the service was stopped; never reported as a failure. */
    static final class Cancelled extends ServiceStartException {
        private static final long serialVersionUID = 1L;

        Cancelled(String service) {
            super(service, "service '" + service + "' was stopped before it was ready", List.of(), null);
        }
    }
}
