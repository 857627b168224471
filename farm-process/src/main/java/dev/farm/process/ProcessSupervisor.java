package dev.farm.process;

import dev.farm.process.internal.DefaultProcessSupervisor;
import dev.farm.process.spi.LogSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

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

    /**
     * Starts a builder for the default supervisor.
     *
     * @return the builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every service in dependency order and returns once all are ready.
     *
     * <p>Services whose dependencies are met start in parallel. On the first failure this method throws at once;
     * services already started keep running until {@link #close()}.
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
     * Stops every service, dependents before their dependencies, and returns when no process of any service is left.
     * Each tree gets SIGTERM, then SIGKILL after its stop timeout. Calling it again does nothing.
     */
    @Override
    void close();

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
         * Builds the supervisor; nothing starts until {@link ProcessSupervisor#start()}.
         *
         * @return the supervisor
         * @throws IllegalArgumentException when a service depends on one that was not added, or dependencies form a
         *     cycle
         */
        public ProcessSupervisor build() {
            return new DefaultProcessSupervisor(
                    List.copyOf(services.values()), listeners, logSinks, clock, environment);
        }
    }
}
