package dev.farm.process.internal;

import dev.farm.process.DependencyCondition;
import dev.farm.process.LogLine;
import dev.farm.process.ProbeTimeoutException;
import dev.farm.process.ProcessException;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceStartException;
import dev.farm.process.ServiceState;
import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.LogSink;
import dev.farm.process.spi.ProbeResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ProcessSupervisor}: one worker thread per starting or stopping service, two reader threads per
 * running process, and the platform's process groups through {@link ProcessTree}.
 *
 * <p>Locking: each service's state changes under that service's monitor; events are delivered under one supervisor-wide
 * lock, so listeners see every service's events in the order its state changed. The supervisor's own lifecycle changes
 * under {@link #lifecycleLock}.
 */
public final class DefaultProcessSupervisor implements ProcessSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultProcessSupervisor.class);

    /** How many of a service's last output lines a failure reports. */
    static final int LAST_LINES = 20;

    /** How much of each of those lines is kept: enough to read, bounded however long the line. */
    static final int LAST_LINE_CHARS = 2000;

    /** How long to wait for a process's output to end after it exited; a grandchild may keep the pipe open. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);

    /** How long a process tree has to disappear after SIGKILL before farm reports survivors. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private static final Pattern SEPARATOR = Pattern.compile(Pattern.quote(File.pathSeparator));

    private enum Lifecycle {
        NEW,
        STARTING,
        RUNNING,
        CLOSING,
        CLOSED
    }

    private final Map<String, Service> services = new LinkedHashMap<>();
    private final List<String> startOrder;
    private final Map<String, List<String>> dependents = new LinkedHashMap<>();
    private final List<Consumer<ServiceEvent>> listeners;
    private final List<LogSink> sinks;
    private final Clock clock;
    private final Map<String, String> environment;
    private final ExecutorService workers = Executors.newCachedThreadPool(Threads.factory("worker"));
    private final Object lifecycleLock = new Object();
    private final Object eventLock = new Object();
    private final CompletableFuture<Void> startFailure = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Kills the registered groups if this JVM dies without closing; absent where groups are not supported. */
    private volatile Optional<Reaper> reaper = Optional.empty();

    private volatile Lifecycle lifecycle = Lifecycle.NEW;

    /**
     * Creates a supervisor; use {@link ProcessSupervisor#builder()}.
     *
     * @param specs the services
     * @param listeners the event listeners
     * @param sinks the log sinks
     * @param clock the clock for event times and deadlines
     * @param environment the environment services inherit
     */
    public DefaultProcessSupervisor(
            List<ServiceSpec> specs,
            List<Consumer<ServiceEvent>> listeners,
            List<LogSink> sinks,
            Clock clock,
            Map<String, String> environment) {
        for (ServiceSpec spec : specs) {
            services.put(spec.name(), new Service(spec));
            dependents.put(spec.name(), new ArrayList<>());
        }
        for (ServiceSpec spec : specs) {
            for (String dependency : spec.dependencies().keySet()) {
                if (!services.containsKey(dependency)) {
                    throw new IllegalArgumentException("service " + spec.name() + " depends on " + dependency
                            + ", which is not among the services " + services.keySet());
                }
                dependents.get(dependency).add(spec.name());
            }
        }
        this.startOrder = DependencyOrder.of(specs);
        this.listeners = List.copyOf(listeners);
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public List<String> services() {
        return List.copyOf(services.keySet());
    }

    @Override
    public ServiceState state(String service) {
        return service(service).state;
    }

    @Override
    public OptionalLong pid(String service) {
        Process process = service(service).process;
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    private Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("service: " + name + " (expected one of " + services.keySet() + ")");
        }
        return service;
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
        reaper = Reaper.start();
        for (String name : startOrder) {
            Service service = services.get(name);
            CompletableFuture<?>[] conditions = service.spec.dependencies().entrySet().stream()
                    .map(e -> condition(services.get(e.getKey()), e.getValue(), service))
                    .toArray(CompletableFuture<?>[]::new);
            service.startTask = CompletableFuture.allOf(conditions)
                    .handleAsync(
                            (ignored, failure) -> {
                                if (failure == null) {
                                    startOne(service);
                                } else {
                                    skip(service, unwrap(failure));
                                }
                                return null;
                            },
                            workers);
        }
        CompletableFuture<Void> allReady = CompletableFuture.allOf(
                services.values().stream().map(s -> s.ready).toArray(CompletableFuture<?>[]::new));
        try {
            CompletableFuture.anyOf(allReady, startFailure).get();
        } catch (ExecutionException e) {
            throw rethrow(unwrap(e));
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
        if (startFailure.isCompletedExceptionally()) {
            throw rethrow(
                    unwrap(startFailure.handle((ignored, failure) -> failure).join()));
        }
    }

    /** What a dependent waits for: the dependency's start, readiness, or exit (with a success code). */
    private static CompletableFuture<?> condition(
            Service dependency, DependencyCondition condition, Service dependent) {
        return switch (condition) {
            case STARTED -> dependency.started;
            case READY -> dependency.ready;
            case COMPLETED -> dependency.exited;
            case SUCCEEDED ->
                dependency.exited.thenApply(code -> {
                    if (!dependency.spec.successExitCodes().contains(code)) {
                        throw new ServiceStartException(
                                dependency.name(),
                                "service '" + dependency.name() + "' exited with code " + code + ", and '"
                                        + dependent.name() + "' waits for it to succeed "
                                        + dependency.spec.successExitCodes() + ". Its last lines are above.",
                                dependency.lastLines(),
                                null);
                    }
                    return code;
                });
        };
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new ProcessException("starting services failed: " + failure, failure);
    }

    private void startOne(Service service) {
        try {
            launch(service);
            awaitReady(service);
        } catch (Cancelled e) {
            service.cancel(e);
        } catch (ServiceStartException e) {
            fail(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.cancel(new Cancelled(service.name()));
        } catch (RuntimeException e) {
            fail(
                    service,
                    new ServiceStartException(
                            service.name(),
                            "service '" + service.name() + "' could not start: " + e,
                            service.lastLines(),
                            e));
        }
    }

    /** A dependency failed: this service never starts. */
    private void skip(Service service, Throwable cause) {
        service.cancel(new ServiceStartException(
                service.name(),
                "service '" + service.name() + "' was not started because a dependency failed: " + cause.getMessage(),
                List.of(),
                cause));
    }

    private void launch(Service service) {
        ServiceSpec spec = service.spec;
        Map<String, String> env = environmentFor(spec);
        List<String> command = new ArrayList<>(ProcessTree.sessionLeaderPrefix());
        command.add(resolveProgram(spec, env));
        command.addAll(spec.command().subList(1, spec.command().size()));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(spec.workingDirectory().toFile());
        builder.environment().clear();
        builder.environment().putAll(env);

        synchronized (service) {
            if (service.state != ServiceState.PENDING || isClosing()) {
                throw new Cancelled(service.name());
            }
            if (spec.port().isPresent()) {
                int port = spec.port().getAsInt();
                PortCheck.holder(port).ifPresent(holder -> {
                    throw new ServiceStartException(
                            service.name(),
                            "service '" + service.name() + "' cannot start: port " + port + " is already in use by "
                                    + holder.describe() + ". Stop that process, or give the service another port.",
                            List.of(),
                            null);
                });
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new ServiceStartException(
                        service.name(),
                        "service '" + service.name() + "' could not start " + String.join(" ", spec.command()) + " in "
                                + spec.workingDirectory() + ": " + e.getMessage(),
                        List.of(),
                        e);
            }
            service.process = process;
            service.groupLeader = !ProcessTree.sessionLeaderPrefix().isEmpty();
            if (service.groupLeader) {
                long pgid = process.pid();
                reaper.ifPresent(r -> r.register(pgid));
            }
            closeQuietly(process);
            // Announce the process before its first line; until the readers start, the pipes hold the output.
            emit(service, ServiceState.STARTING, String.join(" ", spec.command()));
            service.stdout = pump(service, process.getInputStream(), LogLine.Stream.STDOUT);
            service.stderr = pump(service, process.getErrorStream(), LogLine.Stream.STDERR);
            service.exitTask = process.onExit().thenRunAsync(() -> onExit(service), workers);
            service.started.complete(null);
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close(); // services read end-of-file on standard input
        } catch (IOException e) {
            LOG.debug("cannot close standard input of pid {}: {}", process.pid(), e.toString());
        }
    }

    private OutputPump pump(Service service, java.io.InputStream in, LogLine.Stream stream) {
        OutputPump pump = new OutputPump(in, text -> deliver(service, stream, text));
        Thread thread = Threads.factory(
                        "output-" + service.name() + "-" + stream.name().toLowerCase(java.util.Locale.ROOT))
                .newThread(pump);
        thread.start();
        return pump;
    }

    private void deliver(Service service, LogLine.Stream stream, String text) {
        service.remember(text);
        LogLine line = new LogLine(service.name(), stream, text, clock.instant());
        for (LogSink sink : sinks) {
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                LOG.warn("log sink {} failed on a line of {}: {}", sink, service.name(), e.toString());
            }
        }
        if (service.spec.readiness().orElse(null) instanceof LogLineProbe probe) {
            probe.accept(line);
        }
    }

    private Map<String, String> environmentFor(ServiceSpec spec) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        // Children see pipes, not a terminal: keep their output unbuffered and coloured, as if someone watched.
        env.putIfAbsent("PYTHONUNBUFFERED", "1");
        if (!environment.containsKey("NO_COLOR")) {
            env.putIfAbsent("FORCE_COLOR", "1");
        }
        spec.port().ifPresent(port -> env.put("PORT", Integer.toString(port)));
        env.putAll(spec.environment());
        return env;
    }

    /**
     * Finds the program the way a shell would, with the service's own {@code PATH}, so a missing program is reported
     * by name instead of as a cryptic exit of {@code setsid}.
     */
    private static String resolveProgram(ServiceSpec spec, Map<String, String> env) {
        String program = spec.command().get(0);
        if (program.contains("/") || program.contains(File.separator)) {
            Path path = spec.workingDirectory().resolve(program).normalize();
            if (isProgram(path)) {
                return path.toString();
            }
            String problem = Files.isDirectory(path)
                    ? " is a folder, not a program. Fix the command, or its cwd."
                    : Files.exists(path)
                            ? " is not executable. Make it executable (chmod +x)."
                            : " does not exist. Fix the command, or its cwd.";
            throw new ServiceStartException(
                    spec.name(), "service '" + spec.name() + "' could not start: " + path + problem, List.of(), null);
        }
        // An empty or relative PATH entry names a folder relative to where the program runs, as in a shell there.
        Optional<Path> found = SEPARATOR
                .splitAsStream(env.getOrDefault("PATH", ""))
                .map(folder -> spec.workingDirectory().resolve(folder.isEmpty() ? "." : folder))
                .map(folder -> folder.resolve(program))
                .filter(DefaultProcessSupervisor::isProgram)
                .findFirst();
        if (found.isPresent()) {
            return found.get().toString();
        }
        boolean windows = File.separatorChar == '\\';
        if (windows) {
            return program; // PATHEXT rules: let the platform resolve it
        }
        throw new ServiceStartException(
                spec.name(),
                "service '" + spec.name() + "' could not start: program '" + program + "' was not found on PATH."
                        + " Install it, or fix the service's command.",
                List.of(),
                null);
    }

    private static boolean isProgram(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    /** Whether some service waits for this one with {@link DependencyCondition#COMPLETED}. */
    private boolean awaitedToComplete(Service service) {
        return services.values().stream()
                .anyMatch(s -> s.spec.dependencies().get(service.name()) == DependencyCondition.COMPLETED);
    }

    /** Whether some service waits for this one to exit (completed or succeeded). */
    private boolean hasExitDependents(Service service) {
        return services.values().stream().anyMatch(s -> {
            DependencyCondition condition = s.spec.dependencies().get(service.name());
            return condition == DependencyCondition.COMPLETED || condition == DependencyCondition.SUCCEEDED;
        });
    }

    private void awaitReady(Service service) throws InterruptedException {
        Optional<HealthProbe> probe = service.spec.readiness();
        if (probe.isEmpty()) {
            markReady(service, "started (no readiness probe)");
            return;
        }
        Instant deadline = clock.instant().plus(service.spec.readyTimeout());
        String lastFailure = "no attempt finished";
        for (int attempt = 0; ; attempt++) {
            if (service.exitHandled.getCount() == 0 || isClosing()) {
                // The process ended (onExit failed the service) or the supervisor is stopping it.
                service.cancel(new Cancelled(service.name()));
                return;
            }
            ProbeResult result = probe.get().check();
            if (result.passed()) {
                markReady(service, probe.get().description());
                return;
            }
            lastFailure = result.detail();
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                throw new ProbeTimeoutException(
                        service.name(),
                        probe.get().description(),
                        service.spec.readyTimeout(),
                        lastFailure,
                        service.lastLines());
            }
            Duration pause = ProbeSchedule.delayAfter(attempt);
            if (pause.compareTo(remaining) > 0) {
                pause = remaining;
            }
            // Waits for the pause, or less if the process exits meanwhile.
            service.exitHandled.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void markReady(Service service, String message) {
        synchronized (service) {
            if (service.state == ServiceState.STARTING) {
                emit(service, ServiceState.READY, message);
                service.ready.complete(null);
            }
            // Otherwise whoever moved it on (an exit, a failure, a stop) has settled its futures.
        }
    }

    /**
     * The service cannot be used: report it and fail the start. Whatever it left running is stopped by {@link
     * #close()}, like every other service's processes.
     */
    private void fail(Service service, ServiceStartException failure) {
        boolean reported;
        synchronized (service) {
            reported = service.state == ServiceState.PENDING || service.state == ServiceState.STARTING;
            if (reported) {
                emit(service, ServiceState.FAILED, failure.getMessage());
            }
            service.cancel(failure);
        }
        if (reported) {
            startFailure.completeExceptionally(failure);
        }
    }

    private void onExit(Service service) {
        Process process = service.process;
        if (process == null) {
            return;
        }
        int code = process.exitValue();
        awaitOutput(service);
        if (service.groupLeader && ProcessTree.groupMembers(process.pid()).isEmpty()) {
            // The group is empty: from now on its id may be reused, so it must never be signalled again.
            service.groupGone = true;
        }
        ServiceStartException failure = null;
        synchronized (service) {
            service.exitCode = code;
            boolean stackStarting = lifecycle == Lifecycle.STARTING;
            boolean success = service.spec.successExitCodes().contains(code);
            // A one-shot task that others wait to complete may end with any code; what they do about it is theirs.
            boolean awaitedToComplete = awaitedToComplete(service);
            if ((service.state == ServiceState.STARTING
                            && !awaitedToComplete
                            && !(success && hasExitDependents(service)))
                    || (service.state == ServiceState.READY && stackStarting && !success && !awaitedToComplete)) {
                // Ended before it was ready, or failed while the stack was still starting: a service without a
                // probe is ready as soon as it runs, and a program that dies at once must not pass for ready.
                String when = service.state == ServiceState.STARTING ? "before it was ready" : "while starting";
                failure = new ServiceStartException(
                        service.name(),
                        "service '" + service.name() + "' exited with code " + code + " " + when + "."
                                + (service.lastLines().isEmpty()
                                        ? " It printed nothing."
                                        : " Its last lines are above."),
                        service.lastLines(),
                        null);
                emit(service, ServiceState.FAILED, failure.getMessage());
                service.cancel(failure);
            } else if (service.state == ServiceState.READY) {
                emit(service, ServiceState.EXITED, "exited with code " + code);
            } else if (service.state == ServiceState.STARTING) {
                // A one-shot task others wait for ended before its probe passed: done is as good as ready.
                service.ready.complete(null);
                emit(service, ServiceState.EXITED, "exited with code " + code);
            }
        }
        if (failure != null) {
            startFailure.completeExceptionally(failure);
        }
        service.exited.complete(code);
        service.exitHandled.countDown();
    }

    private void awaitOutput(Service service) {
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        if (service.stdout != null) {
            streams.add(service.stdout.done());
        }
        if (service.stderr != null) {
            streams.add(service.stderr.done());
        }
        try {
            CompletableFuture.allOf(streams.toArray(CompletableFuture<?>[]::new))
                    .get(OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("{}: output still open {} after exit; a child may hold it", service.name(), OUTPUT_DRAIN);
        } catch (ExecutionException e) {
            LOG.debug("{}: output reader failed: {}", service.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        try {
            // A service stops once everything that depends on it has stopped; independent ones stop in parallel.
            Map<String, CompletableFuture<Void>> stops = new LinkedHashMap<>();
            List<String> reverse = new ArrayList<>(startOrder);
            Collections.reverse(reverse);
            for (String name : reverse) {
                CompletableFuture<?>[] before =
                        dependents.get(name).stream().map(stops::get).toArray(CompletableFuture<?>[]::new);
                Service service = services.get(name);
                stops.put(
                        name,
                        CompletableFuture.allOf(before)
                                .handleAsync(
                                        (ignored, failure) -> {
                                            stop(service);
                                            return null;
                                        },
                                        workers));
            }
            CompletableFuture.allOf(stops.values().toArray(CompletableFuture<?>[]::new))
                    .join();
            // Start threads notice the stop at once; wait for them so none outlives close().
            CompletableFuture.allOf(services.values().stream()
                            .map(s -> s.startTask)
                            .filter(java.util.Objects::nonNull)
                            .toArray(CompletableFuture<?>[]::new))
                    .get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CompletionException | CancellationException e) {
            LOG.warn("stopping services failed: {}", e.toString());
        } finally {
            reaper.ifPresent(Reaper::close);
            workers.shutdown();
            lifecycle = Lifecycle.CLOSED;
            closed.complete(null);
        }
    }

    private boolean isClosing() {
        Lifecycle now = lifecycle;
        return now == Lifecycle.CLOSING || now == Lifecycle.CLOSED;
    }

    private void stop(Service service) {
        boolean announced;
        synchronized (service) {
            if (service.process == null) {
                if (service.state == ServiceState.PENDING) {
                    emit(service, ServiceState.STOPPED, "never started");
                }
                service.cancel(new Cancelled(service.name()));
                return;
            }
            announced = service.state.isRunning();
            if (announced) {
                emit(service, ServiceState.STOPPING, "");
            }
        }
        List<Long> survivors = List.of();
        try {
            survivors = terminateTree(service);
            CompletableFuture<Void> exit = service.exitTask;
            if (exit != null) {
                // onExit records the exit code and waits for the last output lines.
                exit.get(OUTPUT_DRAIN.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("stopping {} failed: {}", service.name(), e.toString(), e);
        }
        Process process = service.process;
        if (survivors.isEmpty() && service.groupLeader && process != null) {
            reaper.ifPresent(r -> r.unregister(process.pid())); // gone: its id may be reused by anyone now
        }
        synchronized (service) {
            if (announced && service.state == ServiceState.STOPPING) {
                if (survivors.isEmpty()) {
                    emit(service, ServiceState.STOPPED, "");
                } else {
                    emit(service, ServiceState.FAILED, "processes " + survivors + " survived SIGKILL");
                }
            }
        }
        service.cancel(new Cancelled(service.name()));
    }

    /**
     * Ends a service's whole process tree: SIGTERM to its group and to every descendant that left it, then, after the
     * stop timeout, SIGKILL to whatever is left.
     *
     * @return the pids that survived even SIGKILL; empty when nothing of the tree is left
     */
    private List<Long> terminateTree(Service service) {
        Process process = service.process;
        if (process == null) {
            return List.of();
        }
        long pgid = process.pid();
        List<ProcessHandle> known = new ArrayList<>();
        known.add(process.toHandle());
        process.descendants().forEach(known::add);
        if (service.groupLeader
                && !process.isAlive()
                && ProcessTree.groupMembers(pgid).isEmpty()) {
            service.groupGone = true;
        }
        boolean group = service.groupLeader && !service.groupGone;
        List<ProcessHandle> alive = ProcessTree.living(known, pgid, group);
        if (alive.isEmpty()) {
            return List.of();
        }
        known = merge(known, alive);

        ProcessTree.Signal signal =
                ProcessTree.Signal.valueOf(service.spec.stopSignal().name());
        Set<Long> members = new HashSet<>();
        if (group) {
            ProcessTree.groupMembers(pgid).forEach(member -> members.add(member.pid()));
            ProcessTree.signalGroup(pgid, signal);
        }
        for (ProcessHandle handle : alive) {
            if (!members.contains(handle.pid())) {
                if (signal == ProcessTree.Signal.TERM || !ProcessTree.signalProcess(handle.pid(), signal)) {
                    handle.destroy(); // SIGTERM; unlike Process.destroy() it leaves our end of the pipes open
                }
            }
        }
        List<ProcessHandle> tracked = known;
        if (waitUntil(() -> ProcessTree.living(tracked, pgid, group).isEmpty(), service.spec.stopTimeout())) {
            return List.of();
        }

        List<ProcessHandle> left = ProcessTree.living(tracked, pgid, group);
        LOG.debug(
                "{}: {} process(es) still alive {} after SIG{}, killing: {}",
                service.name(),
                left.size(),
                service.spec.stopTimeout(),
                signal,
                left.stream().map(ProcessHandle::pid).collect(Collectors.toList()));
        if (group) {
            ProcessTree.signalGroup(pgid, ProcessTree.Signal.KILL);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> all = merge(tracked, left);
        if (waitUntil(() -> ProcessTree.living(all, pgid, group).isEmpty(), KILL_WAIT)) {
            return List.of();
        }
        List<Long> survivors = ProcessTree.living(all, pgid, group).stream()
                .map(ProcessHandle::pid)
                .collect(Collectors.toList());
        LOG.warn("{}: processes {} survived SIGKILL for {}", service.name(), survivors, KILL_WAIT);
        return survivors;
    }

    private static List<ProcessHandle> merge(List<ProcessHandle> a, List<ProcessHandle> b) {
        Map<Long, ProcessHandle> all = new LinkedHashMap<>();
        a.forEach(h -> all.putIfAbsent(h.pid(), h));
        b.forEach(h -> all.putIfAbsent(h.pid(), h));
        return List.copyOf(all.values());
    }

    /** Polls a condition every few milliseconds, backing off to 50 ms, until it holds or the time is up. */
    private static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) {
                return condition.getAsBoolean();
            }
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
        }
        return true;
    }

    // --------------------------------------------------------------------------------------------------- events

    private void emit(Service service, ServiceState state, String message) {
        synchronized (eventLock) {
            service.state = state;
            Process process = service.process;
            ServiceEvent event = new ServiceEvent(
                    service.name(),
                    state,
                    clock.instant(),
                    process == null ? OptionalLong.empty() : OptionalLong.of(process.pid()),
                    service.exitCode == null ? OptionalInt.empty() : OptionalInt.of(service.exitCode),
                    message);
            LOG.debug("{} {} {}", service.name(), state, message);
            for (Consumer<ServiceEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("listener {} failed on {} {}: {}", listener, service.name(), state, e.toString(), e);
                }
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
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

    /** A start that was abandoned because the supervisor is closing; never reported as a failure. */
    private static final class Cancelled extends ServiceStartException {
        private static final long serialVersionUID = 1L;

        Cancelled(String service) {
            super(service, "service '" + service + "' was stopped before it was ready", List.of(), null);
        }
    }

    /** One service's runtime state. Fields written under the instance's monitor unless said otherwise. */
    private static final class Service {
        final ServiceSpec spec;
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** Completed with the exit code once the process has exited and its output is read. */
        final CompletableFuture<Integer> exited = new CompletableFuture<>();
        /** Counted down once the process's exit has been handled. */
        final CountDownLatch exitHandled = new CountDownLatch(1);

        private final ArrayDeque<String> lastLines = new ArrayDeque<>();

        /** Written under the supervisor's event lock, read anywhere. */
        volatile ServiceState state = ServiceState.PENDING;

        volatile @Nullable Process process;
        volatile boolean groupLeader;
        /** Set once the group was seen empty after its leader ended: its id may now belong to someone else. */
        volatile boolean groupGone;

        volatile @Nullable Integer exitCode;
        volatile @Nullable OutputPump stdout;
        volatile @Nullable OutputPump stderr;
        volatile @Nullable CompletableFuture<Void> startTask;
        volatile @Nullable CompletableFuture<Void> exitTask;

        Service(ServiceSpec spec) {
            this.spec = spec;
        }

        String name() {
            return spec.name();
        }

        void remember(String line) {
            synchronized (lastLines) {
                if (lastLines.size() == LAST_LINES) {
                    lastLines.removeFirst();
                }
                lastLines.addLast(line.length() > LAST_LINE_CHARS ? line.substring(0, LAST_LINE_CHARS) + "..." : line);
            }
        }

        List<String> lastLines() {
            synchronized (lastLines) {
                return List.copyOf(lastLines);
            }
        }

        /** Completes the start futures exceptionally, unless they completed already. */
        void cancel(ServiceStartException reason) {
            started.completeExceptionally(reason);
            ready.completeExceptionally(reason);
            exited.completeExceptionally(reason); // a dependent waiting for the exit must not wait forever
        }
    }
}
