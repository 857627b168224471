package dev.farm.cli;

import dev.farm.cli.internal.ChangePipeline;
import dev.farm.cli.internal.CodegenJobs;
import dev.farm.cli.internal.ModelPulls;
import dev.farm.cli.internal.OptionalServices;
import dev.farm.cli.internal.ProxyWiring;
import dev.farm.cli.internal.SpecTranslator;
import dev.farm.cli.internal.StartupSummary;
import dev.farm.cli.internal.StartupTimings;
import dev.farm.cli.internal.TerminalOutput;
import dev.farm.cli.internal.control.ControlFile;
import dev.farm.cli.internal.control.ControlServer;
import dev.farm.cli.internal.control.StatusJson;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProxyConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.AlreadyRunningException;
import dev.farm.process.LogSinks;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceStartException;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStatus;
import dev.farm.process.spi.LogSink;
import dev.farm.proxy.ProxyServer;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchException;
import dev.farm.watch.WatchRule;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a whole stack from a {@link FarmConfig}: what {@code farm dev} does, as a plain Java object for tests and tools.
 *
 * <pre>{@code
 * FarmConfig config = ConfigSource.directory(Path.of("examples/hello")).load();
 * try (DevServer stack = DevServer.builder(config).build()) {
 *     stack.start();                      // returns once every service is ready
 *     int port = ...;                     // talk to the services
 * }                                       // every process of every service is gone
 * }</pre>
 *
 * <p>Subclasses may replace the parts it composes by overriding the {@code create...} methods; nothing else is meant
 * for extension. Thread-safe; {@link #close()} works from any thread, for example a shutdown hook.
 *
 * @since 0.1
 */
public class DevServer implements AutoCloseable {

    private final FarmConfig config;
    /** The {@code optional} services left out: not installed, and nothing answers on their port. */
    private final List<OptionalServices.Absent> absent;

    private final TerminalOutput output;
    private final List<Consumer<ServiceEvent>> listeners;
    private final List<LogSink> logSinks;
    private final Clock clock;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lock = new Object();
    private @Nullable ProcessSupervisor supervisor;
    private @Nullable ChangeWatcher watcher;
    private final boolean watch;
    private final boolean proxyEnabled;
    private final @Nullable Integer proxyPort;
    private @Nullable ProxyServer proxy;
    private volatile @Nullable Consumer<ServiceEvent> proxyFeed;
    private final Supplier<FarmConfig> reload;
    private LogSinks.@Nullable Handle logFiles;
    private final CodegenJobs codegen;
    private final ModelPulls pulls;
    private final boolean controlEnabled;
    private final java.net.InetAddress controlHost;
    private final boolean controlRemote;
    private @Nullable ControlServer control;
    private final StartupTimings timings = new StartupTimings();
    private final boolean printTimings;
    private boolean closing;

    /**
     * Creates the server from a builder; nothing starts until {@link #start()}.
     *
     * @param builder the settings
     */
    @SuppressWarnings("this-escape") // CodegenJobs and ModelPulls call state() only once start() has run
    protected DevServer(Builder builder) {
        List<OptionalServices.Absent> missing = OptionalServices.find(builder.config);
        this.absent = missing.size() == builder.config.services().size() ? List.of() : missing;
        Set<String> leftOut = OptionalServices.names(absent);
        this.config = OptionalServices.without(builder.config, leftOut);
        this.listeners = List.copyOf(builder.listeners);
        this.logSinks = List.copyOf(builder.logSinks);
        this.clock = builder.clock;
        this.watch = builder.watch;
        this.proxyEnabled = builder.proxy;
        this.proxyPort = builder.proxyPort;
        this.controlEnabled = builder.control;
        this.controlHost = builder.controlHost;
        this.controlRemote = builder.controlRemote;
        Supplier<FarmConfig> read = builder.reload != null
                ? builder.reload
                : () -> ConfigSource.file(builder.config.source()).load();
        this.reload = leftOut.isEmpty() ? read : () -> OptionalServices.without(read.get(), leftOut);
        List<TerminalOutput.Service> shown = new ArrayList<>();
        for (ServiceConfig service : config.services().values()) {
            shown.add(TerminalOutput.Service.of(service));
        }
        this.output = new TerminalOutput(
                builder.out,
                new TerminalOutput.Mode(builder.color, builder.columns > 0, Math.max(20, builder.columns)),
                clock,
                shown);
        this.printTimings = builder.timings;
        this.codegen = new CodegenJobs(config, this::state, output::farm);
        this.pulls = new ModelPulls(config, this::state, output, clock);
    }

    /**
     * Starts a builder.
     *
     * @param config the stack to run
     * @return the builder
     */
    public static Builder builder(FarmConfig config) {
        return new Builder(config);
    }

    /**
     * Returns the configuration this server runs.
     *
     * @return the configuration, never {@code null}
     */
    public FarmConfig config() {
        return config;
    }

    /**
     * Starts every service in dependency order and returns once all are ready.
     *
     * @throws dev.farm.process.ServiceStartException when a service cannot start or is not ready in time; the
     *     services already started keep running until {@link #close()}
     * @throws IllegalStateException when started before, or closed
     */
    public void start() {
        ProcessSupervisor created;
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("DevServer is closed");
            }
            if (supervisor != null) {
                throw new IllegalStateException("DevServer is started already");
            }
            ControlServer api = controlEnabled ? startControl() : null;
            control = api;
            created = createSupervisor(SpecTranslator.translate(config, name -> controlEnvironment(api, name)));
            supervisor = created;
        }
        output.waits(created::waiting);
        output.start(); // the live line: what each starting service waits for
        Instant begin = clock.instant();
        ProxyServer listening = startProxy();
        int count = config.services().size();
        absent.forEach(left -> output.farm(left.message()));
        output.farm("starting " + count + (count == 1 ? " service" : " services") + " from " + config.source());
        codegen.start();
        try {
            created.start();
        } catch (ServiceStartException e) {
            output.startupFailed(e.service());
            throw e;
        } catch (RuntimeException e) {
            output.startupFailed("");
            throw e;
        }
        output.startupFinished();
        Instant end = clock.instant();
        printSummary(created, listening, Duration.between(begin, end));
        if (printTimings || Duration.between(begin, end).compareTo(StartupTimings.SLOW) > 0) {
            Map<String, List<String>> dependencies = new LinkedHashMap<>();
            config.services()
                    .values()
                    .forEach(s ->
                            dependencies.put(s.name(), List.copyOf(s.dependsOn().keySet())));
            timings.report(begin, List.copyOf(config.services().keySet()), dependencies)
                    .forEach(output::farm);
        }
        if (watch) {
            startWatching(created);
        }
    }

    /** The one-screen summary: the proxy's URL first, then each service's, API docs and Ollama when present. */
    private void printSummary(ProcessSupervisor running, @Nullable ProxyServer listening, Duration took) {
        Map<String, StartupSummary.Now> now = new LinkedHashMap<>();
        for (String name : config.services().keySet()) {
            ServiceStatus status = running.status(name);
            now.put(
                    name,
                    new StartupSummary.Now(status.port(), status.state() == ServiceState.EXITED, status.adopted()));
        }
        OptionalInt proxyAt = listening == null ? OptionalInt.empty() : OptionalInt.of(listening.port());
        StartupSummary.lines(config, proxyAt, describeRoutes(), now, took, output::highlight)
                .forEach(output::farm);
    }

    /**
     * Serves the control API ({@code farm ps}, {@code logs}, {@code restart} from another terminal, heartbeats from
     * services) and writes {@code .farm/run/control.json}, unless another live farm runs this project.
     */
    private ControlServer startControl() {
        java.nio.file.Path file = ControlFile.in(config.directory());
        try {
            Optional<ControlFile> existing = ControlFile.read(file);
            if (existing.isPresent()
                    && existing.get().pid() != ProcessHandle.current().pid()
                    && existing.get().ownerAlive()) {
                throw new AlreadyRunningException(existing.get().pid(), file);
            }
        } catch (java.io.IOException | ControlFile.ControlFileException e) {
            // unreadable or damaged: written anew below
        }
        ControlServer server = new ControlServer(new ControlledStack(), controlHost, controlRemote, clock);
        server.start(file);
        return server;
    }

    private static Map<String, String> controlEnvironment(@Nullable ControlServer api, String service) {
        if (api == null) {
            return Map.of();
        }
        return Map.of(
                "FARM_CONTROL_URL", api.url().toString(),
                "FARM_CONTROL_TOKEN", api.token(),
                "FARM_SERVICE_NAME", service);
    }

    /**
     * Returns where the control API listens.
     *
     * @return its base URL, or empty when it is off or not started
     */
    public Optional<java.net.URI> controlUrl() {
        synchronized (lock) {
            return control == null ? Optional.empty() : Optional.of(control.url());
        }
    }

    /** What the control API sees of this stack. */
    private final class ControlledStack implements ControlServer.Stack {
        @Override
        public String project() {
            return config.name();
        }

        @Override
        public java.nio.file.Path config() {
            return config.source();
        }

        @Override
        public List<String> services() {
            return List.copyOf(config.services().keySet());
        }

        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode status(String service) {
            ServiceConfig declared = config.services().get(service);
            ProcessSupervisor current = current();
            Instant now = clock.instant();
            if (current == null) {
                ServiceStatus pending = new ServiceStatus(
                        service,
                        dev.farm.process.ServiceKind.valueOf(declared.kind().name()),
                        ServiceState.PENDING,
                        now,
                        OptionalLong.empty(),
                        declared.port(),
                        0,
                        0,
                        Optional.empty(),
                        OptionalInt.empty(),
                        false,
                        "not started yet");
                return StatusJson.status(pending, Optional.empty(), declared.group(), now);
            }
            ServiceStatus status = current.status(service);
            Optional<dev.farm.process.ServiceStats> stats =
                    status.state().isRunning() ? Optional.of(current.stats(service)) : Optional.empty();
            return StatusJson.status(status, stats, declared.group(), now);
        }

        @Override
        public List<dev.farm.process.LogLine> recentLines(String service) {
            ProcessSupervisor current = current();
            return current == null ? List.of() : current.recentLines(service);
        }

        @Override
        public CompletableFuture<Void> start(String service) {
            return running().start(service);
        }

        @Override
        public CompletableFuture<Void> stop(String service) {
            return running().stop(service);
        }

        @Override
        public CompletableFuture<Void> restart(String service) {
            return running().restart(service);
        }

        @Override
        public void heartbeat(String service) {
            ProcessSupervisor current = current();
            if (current != null) {
                current.heartbeat(service);
            }
        }

        @Override
        public String table(com.fasterxml.jackson.databind.node.ObjectNode services, boolean color) {
            return dev.farm.cli.internal.PsView.table(services, dev.farm.cli.internal.PsView.COLUMNS, s -> true, color);
        }

        @Override
        public void shutdown() {
            output.farm("stopping: asked by the control API (farm down)");
            Thread stopper = new Thread(DevServer.this::close, "farm-cli-control-shutdown");
            stopper.setDaemon(false);
            stopper.start();
        }
    }

    /**
     * Starts the proxy when the config has one and it is not turned off, before any service, so its port is taken
     * (or found busy) first and requests that come early wait for their service.
     */
    private @Nullable ProxyServer startProxy() {
        Optional<ProxyConfig> proxyConfig = config.proxy();
        if (!proxyEnabled || proxyConfig.isEmpty()) {
            return null;
        }
        int port = proxyPort != null ? proxyPort : proxyConfig.get().port();
        ProxyServer started =
                createProxy(proxyConfig.get(), ProxyWiring.routes(config), port).start();
        synchronized (lock) {
            if (closing) {
                started.close();
                return null;
            }
            proxy = started;
        }
        proxyFeed = new ProxyWiring(started, config);
        for (OptionalServices.Absent left : absent) { // its routes answer 502 at once, saying why
            left.service()
                    .port()
                    .ifPresent(at -> started.upstream(
                            left.service().name(),
                            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), at),
                            dev.farm.proxy.UpstreamState.DOWN,
                            left.reason()));
        }
        output.farm("proxy listening on http://127.0.0.1:" + started.port());
        return started;
    }

    /** Reads farm.yaml again for the pipeline; a proxy takes the new routes at once, ollama pulls added models. */
    private FarmConfig reloadWithRoutes() {
        FarmConfig next = reload.get();
        pulls.reloaded(next);
        ProxyServer listening;
        synchronized (lock) {
            listening = proxy;
        }
        if (listening != null && next.proxy().isPresent()) {
            List<dev.farm.proxy.Route> routes = ProxyWiring.routes(next);
            if (!routes.equals(listening.routes().routes())) {
                listening.routes(dev.farm.proxy.RouteTable.of(routes));
                proxyFeed = new ProxyWiring(listening, next);
                output.farm("proxy routes now: " + describe(routes));
            }
        }
        return next;
    }

    private String describeRoutes() {
        return describe(ProxyWiring.routes(config));
    }

    private static String describe(List<dev.farm.proxy.Route> routes) {
        StringBuilder text = new StringBuilder();
        for (dev.farm.proxy.Route route : routes) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(route.prefix()).append(" → ").append(route.target());
        }
        return text.toString();
    }

    /**
     * Creates the proxy. The default listens on 127.0.0.1 with the config's hold.
     *
     * @param config the proxy's configuration
     * @param routes its routes, translated from the config
     * @param port the port to listen on (0 for any free one)
     * @return the proxy, not yet started
     */
    protected ProxyServer createProxy(ProxyConfig config, List<dev.farm.proxy.Route> routes, int port) {
        return ProxyServer.builder()
                .port(port)
                .hold(config.hold())
                .routes(routes)
                .build();
    }

    /**
     * Returns the port the proxy listens on.
     *
     * @return the port, or empty when there is no proxy (none configured, turned off, or not started yet)
     */
    public OptionalInt proxyPort() {
        synchronized (lock) {
            return proxy == null ? OptionalInt.empty() : OptionalInt.of(proxy.port());
        }
    }

    /**
     * Creates the supervisor for the given specs. The default wires farm's terminal output, the builder's listeners
     * and log sinks, and the clock.
     *
     * @param specs the services to run
     * @return the supervisor, not yet started
     */
    protected ProcessSupervisor createSupervisor(List<ServiceSpec> specs) {
        ProcessSupervisor.Builder builder = ProcessSupervisor.builder()
                .services(specs)
                .clock(clock)
                .stateFile(config.directory().resolve(".farm").resolve("state.json"))
                .listener(output)
                .listener(timings)
                .logSink(output);
        LogSinks.Handle files = createLogFiles();
        synchronized (lock) {
            logFiles = files;
        }
        builder.logSink(files);
        builder.listener(event -> {
            Consumer<ServiceEvent> feed = proxyFeed;
            if (feed != null) {
                feed.accept(event);
            }
        });
        builder.listener(codegen::accept);
        builder.listener(pulls::accept);
        ControlServer api;
        synchronized (lock) {
            api = control;
        }
        if (api != null) {
            builder.listener(api);
            builder.logSink(api);
        }
        listeners.forEach(builder::listener);
        logSinks.forEach(builder::logSink);
        return builder.build();
    }

    /** Watches the project and acts on what changes; a watcher that cannot start is reported, and the stack runs on. */
    private void startWatching(ProcessSupervisor running) {
        LogSinks.Handle files;
        synchronized (lock) {
            files = logFiles;
        }
        LogSink toFiles = files;
        LogSink lines = line -> {
            output.accept(line);
            if (toFiles != null) {
                toFiles.accept(line);
            }
            logSinks.forEach(sink -> sink.accept(line));
        };
        ChangePipeline pipeline = new ChangePipeline(
                config, running, this::reloadWithRoutes, output::farm, lines, clock, codegen::changed);
        ChangeWatcher created;
        try {
            created = createWatcher(config, ChangePipeline.rules(config));
            codegen.startWatcher(created, pipeline); // so no codegen output is written while it takes its baseline
        } catch (WatchException e) {
            output.farm("warning: not watching files: " + e.getMessage());
            return;
        }
        synchronized (lock) {
            if (closing) {
                created.close();
                return;
            }
            watcher = created;
        }
        if (created.polling()) {
            output.farm("watching files by polling (the file system gives no change events)");
        }
    }

    /**
     * Creates the watcher for the stack's watch rules, env files and config file.
     *
     * @param config the configuration
     * @param rules the rules, from {@link ChangePipeline#rules(FarmConfig)}
     * @return the watcher, not yet started
     */
    protected ChangeWatcher createWatcher(FarmConfig config, List<WatchRule> rules) {
        ChangeWatcher.Builder builder = ChangeWatcher.builder(config.directory());
        rules.forEach(builder::rule);
        return builder.build();
    }

    /**
     * Creates the sink that writes each service's output to {@code .farm/logs/<service>.log}, without colour codes and
     * rotated by size. The server closes it after the supervisor.
     *
     * @return the sink
     */
    protected LogSinks.Handle createLogFiles() {
        return LogSinks.files(config.directory().resolve(".farm").resolve("logs"));
    }

    /**
     * Returns what {@code farm ps} shows of a service.
     *
     * @param service a service name
     * @return the status
     * @throws IllegalStateException before {@link #start()}
     */
    public ServiceStatus status(String service) {
        return running().status(service);
    }

    /**
     * Restarts a service at once, as {@code farm restart} does.
     *
     * @param service a service name
     * @return completes once the new incarnation is ready
     * @throws IllegalStateException before {@link #start()}
     */
    public CompletableFuture<Void> restart(String service) {
        return running().restart(service);
    }

    /**
     * Stops one service, as {@code farm stop} does.
     *
     * @param service a service name
     * @return completes once nothing of it is left
     * @throws IllegalStateException before {@link #start()}
     */
    public CompletableFuture<Void> stop(String service) {
        return running().stop(service);
    }

    /**
     * Starts one service again, and what it needs, as {@code farm start} does.
     *
     * @param service a service name
     * @return completes once it is ready
     * @throws IllegalStateException before {@link #start()}
     */
    public CompletableFuture<Void> start(String service) {
        return running().start(service);
    }

    private ProcessSupervisor running() {
        ProcessSupervisor current = current();
        if (current == null) {
            throw new IllegalStateException("DevServer is not started");
        }
        return current;
    }

    /**
     * Returns a service's state.
     *
     * @param service a service name
     * @return the state; {@link ServiceState#PENDING} before {@link #start()}
     * @throws IllegalArgumentException when the configuration has no such service
     */
    public ServiceState state(String service) {
        ProcessSupervisor current = current();
        if (current == null) {
            if (!config.services().containsKey(service)) {
                throw new IllegalArgumentException("service: " + service + " (expected one of "
                        + config.services().keySet() + ")");
            }
            return ServiceState.PENDING;
        }
        return current.state(service);
    }

    /**
     * Returns the process id of a service.
     *
     * @param service a service name
     * @return the pid, or empty when it has not started
     */
    public OptionalLong pid(String service) {
        ProcessSupervisor current = current();
        return current == null ? OptionalLong.empty() : current.pid(service);
    }

    private @Nullable ProcessSupervisor current() {
        synchronized (lock) {
            return supervisor;
        }
    }

    /**
     * Tells whether {@link #close()} has been called.
     *
     * @return true once closing has begun
     */
    public boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    /**
     * Blocks until {@link #close()} has finished, from another thread.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Kills every process of the stack at once (SIGKILL to every tree, no stop timeout waited out) and returns when
     * none is left; for a second Ctrl-C while {@link #close()} waits on another thread, which then finishes soon too.
     * Afterwards the server is closed.
     */
    public void kill() {
        ProcessSupervisor current = current();
        output.farm("killing every process now");
        if (current != null) {
            current.kill();
        }
        close(); // closes what is left, or waits until the thread that closes already is done
    }

    /** Stops every service, dependents first, and returns when no process of the stack is left. */
    @Override
    public void close() {
        ProcessSupervisor current;
        boolean first;
        synchronized (lock) {
            first = !closing;
            closing = true;
            current = supervisor;
        }
        if (!first) {
            awaitQuietly(); // another thread is closing: return once it has finished
            return;
        }
        ChangeWatcher watching;
        synchronized (lock) {
            watching = watcher;
        }
        if (watching != null) {
            watching.close(); // no change starts anything from here on
        }
        codegen.close();
        pulls.close();
        try {
            if (current != null) {
                output.stopping();
                current.close();
                output.farm("all services stopped");
            }
            LogSinks.Handle files;
            synchronized (lock) {
                files = logFiles;
            }
            if (files != null) {
                files.close();
            }
        } finally {
            ProxyServer listening;
            synchronized (lock) {
                listening = proxy;
            }
            if (listening != null) {
                listening.close();
            }
            ControlServer api;
            synchronized (lock) {
                api = control;
            }
            if (api != null) {
                api.close(); // last: farm ps answers, and farm down sees the stops, until everything is gone
            }
            output.close(); // the live line's thread
            closed.countDown();
        }
    }

    private void awaitQuietly() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Configures a {@link DevServer}. Every setter returns this builder.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final FarmConfig config;
        private PrintWriter out = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        private boolean color;
        private int columns;
        private boolean timings;
        private final List<Consumer<ServiceEvent>> listeners = new ArrayList<>();
        private final List<LogSink> logSinks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private boolean watch = true;
        private boolean proxy = true;
        private @Nullable Integer proxyPort;
        private @Nullable Supplier<FarmConfig> reload;
        private boolean control = true;
        private java.net.InetAddress controlHost = java.net.InetAddress.getLoopbackAddress();
        private boolean controlRemote;

        private Builder(FarmConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Sets where farm prints service output and its own status lines; by default nothing is printed.
         *
         * @param out the writer
         * @param color whether to use ANSI colours
         * @return this builder
         */
        public Builder output(PrintWriter out, boolean color) {
            this.out = Objects.requireNonNull(out, "out");
            this.color = color;
            return this;
        }

        /**
         * Declares the output a terminal this many columns wide, so a live line at its bottom says what farm waits for
         * (redrawn with {@code \r} and erase-line); by default the output is plain, with no cursor movement.
         *
         * @param columns the terminal's width, at least 20
         * @return this builder
         */
        public Builder terminal(int columns) {
            if (columns < 20) {
                throw new IllegalArgumentException("columns: " + columns + " (expected: >= 20)");
            }
            this.columns = columns;
            return this;
        }

        /**
         * Sets whether the start ends with a timing report: when each service started and was ready, and the critical
         * chain ({@code farm dev --timings}); default false, and a start slower than 10 s prints it anyway.
         *
         * @param timings whether to print it
         * @return this builder
         */
        public Builder timings(boolean timings) {
            this.timings = timings;
            return this;
        }

        /**
         * Adds a listener for the services' state changes.
         *
         * @param listener called on the supervisor's threads; must not block
         * @return this builder
         */
        public Builder listener(Consumer<ServiceEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds a sink for the services' output lines.
         *
         * @param sink called on the supervisor's reader threads; must be thread-safe
         * @return this builder
         */
        public Builder logSink(LogSink sink) {
            logSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Sets the clock; the default is the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets whether file changes restart services, run their watch actions and reload the config (default true).
         *
         * @param watch whether to watch
         * @return this builder
         */
        public Builder watch(boolean watch) {
            this.watch = watch;
            return this;
        }

        /**
         * Sets how the config is read again when its file changes; the default reads the same file with default
         * options.
         *
         * @param reload reads the config; throws {@link dev.farm.config.ConfigException} when it is invalid
         * @return this builder
         */
        public Builder reload(Supplier<FarmConfig> reload) {
            this.reload = Objects.requireNonNull(reload, "reload");
            return this;
        }

        /**
         * Sets whether the {@code proxy:} of the config runs; default true ({@code farm dev --no-proxy} turns it off).
         *
         * @param proxy whether to run the proxy
         * @return this builder
         */
        public Builder proxy(boolean proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Overrides the proxy's port ({@code farm dev --port N}).
         *
         * @param port 0-65535; 0 picks a free port
         * @return this builder
         */
        public Builder proxyPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            this.proxyPort = port;
            return this;
        }

        /**
         * Sets whether the control API runs (default true): {@code farm ps}, {@code logs}, {@code restart} and the
         * services' heartbeats talk to it, on an ephemeral port of 127.0.0.1 named in {@code .farm/run/control.json}.
         *
         * @param control whether to serve it
         * @return this builder
         */
        public Builder control(boolean control) {
            this.control = control;
            return this;
        }

        /**
         * Sets the address the control API listens on (default: loopback).
         *
         * @param host the address
         * @param allowRemote whether a non-loopback address is really meant: anyone who reaches it and has the token
         *     can stop the stack
         * @return this builder
         */
        public Builder controlHost(java.net.InetAddress host, boolean allowRemote) {
            this.controlHost = Objects.requireNonNull(host, "host");
            this.controlRemote = allowRemote;
            return this;
        }

        /**
         * Builds the server; nothing starts until {@link DevServer#start()}.
         *
         * @return the server
         */
        public DevServer build() {
            return new DevServer(this);
        }
    }
}
