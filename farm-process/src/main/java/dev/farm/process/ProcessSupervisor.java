package dev.farm.process;

import dev.farm.process.internal.DefaultProcessSupervisor;
import dev.farm.process.spi.LogSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a set of services: starts them in dependency order (independent ones in parallel), waits until each is ready,
 * publishes every state change, and stops every service's whole process tree on {@link #close()}.
 *
 * <pre>{@code
 * try (ProcessSupervisor supervisor = ProcessSupervisor.builder()
 *         .service(db)
 *         .service(api)            // depends on db being ready
 *         .listener(event -> System.out.println(event.service() + " " + event.state()))
 *         .logSink(line -> System.out.println(line.service() + " | " + line.text()))
 *         .build()) {
 *     supervisor.start();          // returns once every service is ready
 *     ...
 * }                                // stops api, then db, and every process they started
 * }</pre>
 *
 * <p>Each service runs as the leader of its own session and process group where the platform allows it (Linux with
 * util-linux's {@code setsid}), so stopping it signals the whole group: {@code npm run dev} and everything it spawned
 * goes together. Processes that left the group are found by walking the service's descendants. Elsewhere farm walks
 * descendants only.
 *
 * <p>Implementations are thread-safe. {@link #close()} may be called from any thread, more than once.
 *
 * @since 0.1
 */
public interface ProcessSupervisor extends AutoCloseable {

    /** The default time {@link #close()} may take before it kills everything left. */
    Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** The default number of output lines kept per service for {@link #recentLines(String)}. */
    int DEFAULT_RECENT_LINES = 1000;

    /**
     * Starts a builder for the default supervisor.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every service in dependency order and returns once all are ready (or, for one-shot tasks, exited).
     *
     * <p>Services whose dependencies are met start in parallel. A service whose start fails is restarted as its policy
     * says; once it has failed for good, this method throws at once, what depends on it is {@link ServiceState#SKIPPED},
     * and services already started keep running until {@link #close()}. Processes an earlier run left behind (see
     * {@link Builder#stateFile(Path)}) are stopped first.
     *
     * @throws ServiceStartException when a service cannot start or is not ready in time; {@link ProbeTimeoutException}
     *     for the latter
     * @throws IllegalStateException when already started, or closed
     */
    void start();

    /**
     * Returns the names of the services, in the order they were added.
     *
     * @return the names, never {@code null}
     */
    List<String> services();

    /**
     * Returns a service's current state.
     *
     * @param service a service name
     * @return the state
     * @throws IllegalArgumentException when no service has that name
     */
    ServiceState state(String service);

    /**
     * Returns the process id of a service's current process.
     *
     * @param service a service name
     * @return the pid, or empty before the service has started
     * @throws IllegalArgumentException when no service has that name
     */
    OptionalLong pid(String service);

    /**
     * Returns what {@code farm ps} shows of a service.
     *
     * @param service a service name
     * @return the status, never {@code null}
     * @throws IllegalArgumentException when no service has that name
     */
    ServiceStatus status(String service);

    /**
     * Returns what a service waits for while its readiness probe has not passed: the probe, why the last attempt failed
     * and since when. Reading it is cheap and never blocks, so a terminal may ask every 100 ms.
     *
     * <p>The default implementation knows nothing of waits and returns empty.
     *
     * @param service a service name
     * @return the wait; empty when the service is not polling its readiness probe (pending, ready, stopping, settled, or
     *     without a probe)
     * @throws IllegalArgumentException when no service has that name
     */
    default Optional<ReadinessWait> waiting(String service) {
        if (!services().contains(service)) {
            throw new IllegalArgumentException("service: " + service + " (expected one of " + services() + ")");
        }
        return Optional.empty();
    }

    /**
     * Returns the most recent output lines of a service, oldest first, from a bounded ring kept in memory.
     *
     * @param service a service name
     * @return the lines, never {@code null}
     * @throws IllegalArgumentException when no service has that name
     */
    List<LogLine> recentLines(String service);

    /**
     * Starts a service that is not running (stopped, exited, failed or skipped), after starting what it depends on that
     * is not running either. Does nothing to a service that runs or is starting already.
     *
     * @param service a service name
     * @return completes once the service is ready, or exceptionally with a {@link ServiceStartException}
     * @throws IllegalArgumentException when no service has that name
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    CompletableFuture<Void> start(String service);

    /**
     * Stops one service's process tree (or runs its daemon's stop command) and cancels any restart it has pending. Its
     * dependents are left alone.
     *
     * @param service a service name
     * @return completes once nothing of the service is left
     * @throws IllegalArgumentException when no service has that name
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    CompletableFuture<Void> stop(String service);

    /**
     * Stops a service and starts a new incarnation of it at once, without backoff and without using its restart budget.
     * A service still waiting for its dependencies keeps waiting: no second start is made; one waiting out a backoff
     * starts now.
     *
     * @param service a service name
     * @return completes once the new incarnation is ready, or exceptionally with a {@link ServiceStartException}
     * @throws IllegalArgumentException when no service has that name
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    CompletableFuture<Void> restart(String service);

    /**
     * Samples the CPU and memory of a service's whole process tree, now.
     *
     * @param service a service name
     * @return the sample; zero processes while the service has none
     * @throws IllegalArgumentException when no service has that name
     */
    ServiceStats stats(String service);

    /**
     * Replaces a service's spec, for a changed config: stops the service (its dependents are left alone) and starts it
     * again with the new spec, after what it now depends on that is not running.
     *
     * @param spec the new spec; its name says which service
     * @return completes once the service runs its new spec and is ready
     * @throws IllegalArgumentException when no service has that name, or the new dependencies are missing or form a
     *     cycle (then nothing was stopped)
     * @throws IllegalStateException before {@link #start()} or after {@link #close()}
     */
    CompletableFuture<Void> update(ServiceSpec spec);

    /**
     * Records that a service reported it is alive, for its {@link Probes#heartbeat(Duration)} probes. The control API
     * calls this when a service posts its heartbeat.
     *
     * @param service a service name
     * @throws IllegalArgumentException when no service has that name
     */
    void heartbeat(String service);

    /**
     * Stops every service, dependents before their dependencies (independent ones in parallel), and returns when no
     * process of any service is left. Each tree gets its stop signal, then SIGKILL after its stop timeout; once the
     * supervisor's shutdown timeout has passed, everything left is killed at once. Calling it again does nothing.
     */
    @Override
    void close();

    /**
     * Stops every service at once and without grace: SIGKILL to every process group and every descendant, no stop
     * signal and no stop timeout waited out, and no restart afterwards; returns once no process of any service is left
     * (bounded, as {@link #close()} is). For the second Ctrl-C, when the user will not wait for a graceful stop. It may
     * be called while {@link #close()} runs on another thread, which then returns soon too; afterwards the supervisor
     * is closed. A daemon's stop command still runs, since its daemon is outside the tree.
     *
     * <p>The default implementation only calls {@link #close()}.
     */
    default void kill() {
        close();
    }

    /**
     * Configures a supervisor. Every setter returns this builder; {@link #build()} starts nothing.
     *
     * @since 0.1
     */
    final class Builder {
        private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
        private final List<Consumer<ServiceEvent>> listeners = new ArrayList<>();
        private final List<LogSink> logSinks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Map<String, String> environment = System.getenv();
        private @Nullable Path stateFile;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int recentLines = DEFAULT_RECENT_LINES;

        private Builder() {}

        /**
         * Adds a service.
         *
         * @param spec the service
         * @return this builder
         * @throws IllegalArgumentException when a service of that name was added already
         */
        public Builder service(ServiceSpec spec) {
            if (services.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("service: " + spec.name() + " (already added)");
            }
            return this;
        }

        /**
         * Adds services.
         *
         * @param specs the services
         * @return this builder
         */
        public Builder services(Collection<ServiceSpec> specs) {
            specs.forEach(this::service);
            return this;
        }

        /**
         * Adds a listener for state changes. It is called synchronously, on the thread that made the change, one
         * event at a time and in order; it must not block. An exception it throws is logged and ignored.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(Consumer<ServiceEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds a sink for the services' output lines.
         *
         * @param sink the sink
         * @return this builder
         */
        public Builder logSink(LogSink sink) {
            logSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Sets the clock for event times and deadlines; the default is the system clock in UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the environment services inherit, before farm's defaults and each service's own variables; the
         * default is this process's environment.
         *
         * @param environment the variables
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * Keeps a state file (pid, process group, process start time, command and port of each running service) so
         * that the next start finds processes an earlier run left behind and stops them; a process whose pid was reused
         * since is never touched. The usual place is {@code .farm/state.json} in the project.
         *
         * @param file the file; its folder is created when needed
         * @return this builder
         */
        public Builder stateFile(Path file) {
            this.stateFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Sets how long {@link ProcessSupervisor#close()} may take in all before it kills whatever is left (default
         * 30 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("shutdownTimeout: " + timeout + " (expected: > 0)");
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Sets how many output lines per service {@link ProcessSupervisor#recentLines(String)} keeps (default 1000).
         *
         * @param lines at least 1
         * @return this builder
         */
        public Builder recentLines(int lines) {
            if (lines < 1) {
                throw new IllegalArgumentException("recentLines: " + lines + " (expected: >= 1)");
            }
            this.recentLines = lines;
            return this;
        }

        /**
         * Builds the supervisor; nothing starts until {@link ProcessSupervisor#start()}.
         *
         * @return the supervisor
         * @throws IllegalArgumentException when a service depends on one that was not added, or dependencies form a
         *     cycle
         */
        public ProcessSupervisor build() {
            return new DefaultProcessSupervisor(new DefaultProcessSupervisor.Settings(
                    List.copyOf(services.values()),
                    listeners,
                    logSinks,
                    clock,
                    environment,
                    Optional.ofNullable(stateFile),
                    shutdownTimeout,
                    recentLines));
        }
    }
}
