package dev.farm.process;

import dev.farm.process.spi.HealthProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the supervisor needs to run one service.
 *
 * <pre>{@code
 * ServiceSpec api = ServiceSpec.builder("api", List.of("java", "Api.java"))
 *         .port(8000)
 *         .readiness(Probes.http(8000, "/health"))
 *         .liveness(new Liveness(Probes.http(8000, "/health"), Duration.ofSeconds(10), 3))
 *         .restart(RestartPolicy.onFailure(5, Duration.ofMillis(200), Duration.ofSeconds(30)))
 *         .dependsOn("db", DependencyCondition.READY)
 *         .build();
 * }</pre>
 *
 * <p>In the command and in environment values, {@code ${port}} stands for the service's port, once {@code auto} has been
 * resolved.
 *
 * @param name the service's name, unique in a supervisor; it prefixes its output
 * @param kind how farm runs it
 * @param command the program and its arguments (for a daemon, the command that starts it); empty only for {@link
 *     ServiceKind#EXTERNAL}; the program is found on {@code PATH} when it has no folder part
 * @param stopCommand the command that stops a daemon; empty for the other kinds, where farm signals the process group
 * @param workingDirectory where the program runs
 * @param environment variables set on top of the supervisor's environment and farm's defaults
 *     ({@code PYTHONUNBUFFERED=1}, {@code FORCE_COLOR=1} unless {@code NO_COLOR} is set, {@code PORT})
 * @param freshEnvironment when present, asked before every start and restart for the service's variables, which then
 *     replace {@code environment}: env files are re-read each time
 * @param port the port the service listens on, handed to it as {@code PORT}; checked to be free before it starts
 * @param autoPort whether farm picks a free port before the first start (and a new one if it was taken since)
 * @param readiness what must pass before the service counts as ready; without it, it is ready once started
 * @param readyTimeout how long the supervisor waits for readiness before the start counts as failed
 * @param liveness what must keep passing while the service is ready
 * @param dependencies the services to wait for and what each must reach first, in declaration order
 * @param restart when the service is started again after it ends or stops answering
 * @param stopTimeout how long the process tree has to end after the stop signal before it is killed
 * @param stopSignal the signal that asks the process group to stop
 * @param successExitCodes the exit codes that count as success (for {@link DependencyCondition#SUCCEEDED}, and so that
 *     a one-shot task ending with one of them is not a failure)
 * @param adopt whether an instance that already passes the readiness probe before farm starts one is used as it is,
 *     and never stopped by farm
 * @param setup a command run once before the service's first start (such as {@code npm install}), in its working
 *     directory and environment, its output shown as the service's; if it fails, the service fails without starting;
 *     empty for none, and always for {@link ServiceKind#EXTERNAL}
 * @since 0.1
 */
public record ServiceSpec(
        String name,
        ServiceKind kind,
        List<String> command,
        Optional<List<String>> stopCommand,
        Path workingDirectory,
        Map<String, String> environment,
        Optional<Supplier<Map<String, String>>> freshEnvironment,
        OptionalInt port,
        boolean autoPort,
        Optional<HealthProbe> readiness,
        Duration readyTimeout,
        Optional<Liveness> liveness,
        Map<String, Dependency> dependencies,
        RestartPolicy restart,
        Duration stopTimeout,
        StopSignal stopSignal,
        Set<Integer> successExitCodes,
        boolean adopt,
        Optional<List<String>> setup) {

    /** The default {@link #readyTimeout()}. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

    /** The default {@link #stopTimeout()}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Validates the components and copies the collections, keeping their order.
     *
     * @param name the service's name
     * @param kind how farm runs it
     * @param command the program and its arguments; empty only for an external service
     * @param stopCommand the command that stops a daemon; present exactly for daemons
     * @param workingDirectory where the program runs
     * @param environment variables set on top of the supervisor's environment and farm's defaults
     * @param freshEnvironment when present, asked before every start for the variables that replace {@code environment}
     * @param port the port the service listens on
     * @param autoPort whether farm picks a free port
     * @param readiness what must pass before the service counts as ready
     * @param readyTimeout how long the supervisor waits for readiness
     * @param liveness what must keep passing while the service is ready
     * @param dependencies the services to wait for, in declaration order
     * @param restart when the service is started again
     * @param stopTimeout how long the process tree has to end after the stop signal before it is killed
     * @param stopSignal the signal that asks the process group to stop
     * @param successExitCodes the exit codes that count as success, at least one
     * @param adopt whether an instance already answering is used as it is
     * @param setup a command run once before the first start, if any
     */
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: blank (expected: a service name)");
        }
        Objects.requireNonNull(kind, "kind");
        command = List.copyOf(command);
        if (command.isEmpty() != (kind == ServiceKind.EXTERNAL)) {
            throw new IllegalArgumentException(
                    kind == ServiceKind.EXTERNAL
                            ? "command: " + command + " (expected: none for an external service)"
                            : "command: empty (expected: a program and its arguments)");
        }
        stopCommand = stopCommand.map(List::copyOf);
        if (stopCommand.isPresent() != (kind == ServiceKind.DAEMON)) {
            throw new IllegalArgumentException(
                    kind == ServiceKind.DAEMON
                            ? "stopCommand: empty (expected: the command that stops the daemon)"
                            : "stopCommand: " + stopCommand.get() + " (expected: only for a daemon)");
        }
        if (stopCommand.isPresent() && stopCommand.get().isEmpty()) {
            throw new IllegalArgumentException("stopCommand: empty (expected: a program and its arguments)");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(freshEnvironment, "freshEnvironment");
        Objects.requireNonNull(port, "port");
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port: " + port.getAsInt() + " (expected: 1-65535)");
        }
        Objects.requireNonNull(readiness, "readiness");
        requirePositive(readyTimeout, "readyTimeout");
        Objects.requireNonNull(liveness, "liveness");
        dependencies = Collections.unmodifiableMap(new LinkedHashMap<>(dependencies));
        if (dependencies.containsKey(name)) {
            throw new IllegalArgumentException("dependencies: " + name + " depends on itself");
        }
        Objects.requireNonNull(restart, "restart");
        requirePositive(stopTimeout, "stopTimeout");
        Objects.requireNonNull(stopSignal, "stopSignal");
        successExitCodes = Set.copyOf(successExitCodes);
        if (successExitCodes.isEmpty()) {
            throw new IllegalArgumentException("successExitCodes: empty (expected: at least one exit code)");
        }
        setup = setup.map(List::copyOf);
        if (setup.isPresent() && setup.get().isEmpty()) {
            throw new IllegalArgumentException("setup: empty (expected: a program and its arguments)");
        }
        if (setup.isPresent() && kind == ServiceKind.EXTERNAL) {
            throw new IllegalArgumentException("setup: " + setup.get() + " (expected: none for an external service)");
        }
        if ((adopt || kind == ServiceKind.EXTERNAL) && readiness.isEmpty()) {
            throw new IllegalArgumentException("readiness: none (expected: a probe, to tell whether "
                    + (kind == ServiceKind.EXTERNAL ? "the external service" : "an instance to adopt")
                    + " answers)");
        }
    }

    /**
     * Starts a builder for a process or a daemon; everything but the name and command has a default.
     *
     * @param name the service's name
     * @param command the program and its arguments
     * @return the builder
     */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command, ServiceKind.PROCESS);
    }

    /**
     * Starts a builder for a service farm never starts or stops, only probes; set its readiness probe.
     *
     * @param name the service's name
     * @return the builder
     */
    public static Builder external(String name) {
        return new Builder(name, List.of(), ServiceKind.EXTERNAL);
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + ": " + duration + " (expected: > 0)");
        }
    }

    /**
     * Builds a {@link ServiceSpec}. Every setter returns this builder.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private ServiceKind kind;
        private @Nullable List<String> stopCommand;
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private @Nullable Supplier<Map<String, String>> freshEnvironment;
        private OptionalInt port = OptionalInt.empty();
        private boolean autoPort;
        private @Nullable HealthProbe readiness;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private @Nullable Liveness liveness;
        private final Map<String, Dependency> dependencies = new LinkedHashMap<>();
        private RestartPolicy restart = RestartPolicy.NO;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private StopSignal stopSignal = StopSignal.TERM;
        private Set<Integer> successExitCodes = Set.of(0);
        private boolean adopt;
        private @Nullable List<String> setup;

        private Builder(String name, List<String> command, ServiceKind kind) {
            this.name = name;
            this.command = new ArrayList<>(command);
            this.kind = kind;
        }

        /**
         * Makes the service a daemon: its command starts something that outlives it, and this command stops it.
         *
         * @param stop the program and arguments that stop the daemon
         * @return this builder
         */
        public Builder daemon(List<String> stop) {
            this.kind = ServiceKind.DAEMON;
            this.stopCommand = List.copyOf(stop);
            return this;
        }

        /**
         * Sets where the program runs; the default is the current directory.
         *
         * @param directory the folder
         * @return this builder
         */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        /**
         * Adds environment variables.
         *
         * @param variables names and values
         * @return this builder
         */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /**
         * Asks for the service's variables before every start and restart, instead of using fixed ones.
         *
         * @param source called on a supervisor thread; returns the variables, never {@code null}
         * @return this builder
         */
        public Builder freshEnvironment(Supplier<Map<String, String>> source) {
            this.freshEnvironment = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Sets the port the service listens on.
         *
         * @param port 1-65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = OptionalInt.of(port);
            return this;
        }

        /**
         * Lets farm pick a free port before the service starts, handed over as {@code PORT} and {@code ${port}}.
         *
         * @return this builder
         */
        public Builder autoPort() {
            this.autoPort = true;
            return this;
        }

        /**
         * Sets the readiness probe.
         *
         * @param probe the probe, for example {@link Probes#tcp(int)}
         * @return this builder
         */
        public Builder readiness(HealthProbe probe) {
            this.readiness = probe;
            return this;
        }

        /**
         * Sets how long to wait for readiness.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * Sets the liveness check.
         *
         * @param check the probe, its period and how many failures in a row mean dead
         * @return this builder
         */
        public Builder liveness(Liveness check) {
            this.liveness = check;
            return this;
        }

        /**
         * Adds a dependency.
         *
         * @param service the name of the service to wait for
         * @param condition what it must reach first
         * @return this builder
         */
        public Builder dependsOn(String service, DependencyCondition condition) {
            return dependsOn(service, Dependency.on(condition));
        }

        /**
         * Adds a dependency.
         *
         * @param service the name of the service to wait for
         * @param dependency what it must reach first
         * @return this builder
         */
        public Builder dependsOn(String service, Dependency dependency) {
            dependencies.put(service, dependency);
            return this;
        }

        /**
         * Sets the restart policy (default {@link RestartPolicy#NO}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder restart(RestartPolicy policy) {
            this.restart = policy;
            return this;
        }

        /**
         * Sets how long the process tree has after SIGTERM before it is killed.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Sets the signal that asks the process group to stop (default {@link StopSignal#TERM}).
         *
         * @param signal the signal
         * @return this builder
         */
        public Builder stopSignal(StopSignal signal) {
            this.stopSignal = signal;
            return this;
        }

        /**
         * Sets the exit codes that count as success (default {@code 0} only).
         *
         * @param codes at least one exit code
         * @return this builder
         */
        public Builder successExitCodes(Set<Integer> codes) {
            this.successExitCodes = codes;
            return this;
        }

        /**
         * Uses an instance that already passes the readiness probe instead of starting one, and never stops it.
         *
         * @param adopt whether to adopt
         * @return this builder
         */
        public Builder adopt(boolean adopt) {
            this.adopt = adopt;
            return this;
        }

        /**
         * Runs a command once before the service's first start, such as {@code npm install}: in the service's working
         * directory and environment ({@code ${port}} included), its output shown as the service's. Until it exits the
         * service is {@link ServiceState#STARTING}; if it exits with another code than 0, or cannot start, the service
         * is {@link ServiceState#FAILED} (its dependents {@link ServiceState#SKIPPED}) without being started or
         * restarted. Later restarts do not run it again.
         *
         * @param command the program and its arguments
         * @return this builder
         */
        public Builder setup(List<String> command) {
            this.setup = List.copyOf(command);
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException when a value is out of range
         */
        public ServiceSpec build() {
            return new ServiceSpec(
                    name,
                    kind,
                    command,
                    Optional.ofNullable(stopCommand),
                    workingDirectory,
                    environment,
                    Optional.ofNullable(freshEnvironment),
                    port,
                    autoPort,
                    Optional.ofNullable(readiness),
                    readyTimeout,
                    Optional.ofNullable(liveness),
                    dependencies,
                    restart,
                    stopTimeout,
                    stopSignal,
                    successExitCodes,
                    adopt,
                    Optional.ofNullable(setup));
        }
    }
}
