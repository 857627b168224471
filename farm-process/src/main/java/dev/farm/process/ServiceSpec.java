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
import org.jspecify.annotations.Nullable;

/**
 * What the supervisor needs to run one service.
 *
 * <pre>{@code
 * ServiceSpec api = ServiceSpec.builder("api", List.of("java", "Api.java"))
 *         .port(8000)
 *         .readiness(Probes.http(8000, "/health"))
 *         .dependsOn("db", DependencyCondition.READY)
 *         .build();
 * }</pre>
 *
 * @param name the service's name, unique in a supervisor; it prefixes its output
 * @param command the program and its arguments; the program is found on {@code PATH} when it has no folder part
 * @param workingDirectory where the program runs
 * @param environment variables set on top of the supervisor's environment and farm's defaults
 *     ({@code PYTHONUNBUFFERED=1}, {@code FORCE_COLOR=1} unless {@code NO_COLOR} is set, {@code PORT})
 * @param port the port the service listens on, handed to it as {@code PORT}
 * @param readiness what must pass before the service counts as ready; without it, it is ready once started
 * @param readyTimeout how long the supervisor waits for readiness before it fails the service
 * @param dependencies the services to wait for and what each must reach first, in declaration order
 * @param stopTimeout how long the process tree has to end after the stop signal before it is killed
 * @param stopSignal the signal that asks the process group to stop
 * @param successExitCodes the exit codes that count as success (for {@link DependencyCondition#SUCCEEDED}, and so that
 *     a one-shot task ending with one of them while the stack starts is not a failure)
 * @since 0.1
 */
public record ServiceSpec(
        String name,
        List<String> command,
        Path workingDirectory,
        Map<String, String> environment,
        OptionalInt port,
        Optional<HealthProbe> readiness,
        Duration readyTimeout,
        Map<String, DependencyCondition> dependencies,
        Duration stopTimeout,
        StopSignal stopSignal,
        Set<Integer> successExitCodes) {

    /** The default {@link #readyTimeout()}. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

    /** The default {@link #stopTimeout()}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Validates the components and copies the collections, keeping their order.
     *
     * @param name the service's name, unique in a supervisor; it prefixes its output
     * @param command the program and its arguments; the program is found on {@code PATH} when it has no folder part
     * @param workingDirectory where the program runs
     * @param environment variables set on top of the supervisor's environment and farm's defaults ({@code
     *     PYTHONUNBUFFERED=1}, {@code FORCE_COLOR=1} unless {@code NO_COLOR} is set, {@code PORT})
     * @param port the port the service listens on, handed to it as {@code PORT}
     * @param readiness what must pass before the service counts as ready; without it, it is ready once started
     * @param readyTimeout how long the supervisor waits for readiness before it fails the service
     * @param dependencies the services to wait for and what each must reach first, in declaration order
     * @param stopTimeout how long the process tree has to end after the stop signal before it is killed
     * @param stopSignal the signal that asks the process group to stop
     * @param successExitCodes the exit codes that count as success, at least one
     */
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: blank (expected: a service name)");
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: empty (expected: a program and its arguments)");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(port, "port");
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port: " + port.getAsInt() + " (expected: 1-65535)");
        }
        Objects.requireNonNull(readiness, "readiness");
        requirePositive(readyTimeout, "readyTimeout");
        dependencies = Collections.unmodifiableMap(new LinkedHashMap<>(dependencies));
        if (dependencies.containsKey(name)) {
            throw new IllegalArgumentException("dependencies: " + name + " depends on itself");
        }
        requirePositive(stopTimeout, "stopTimeout");
        Objects.requireNonNull(stopSignal, "stopSignal");
        successExitCodes = Set.copyOf(successExitCodes);
        if (successExitCodes.isEmpty()) {
            throw new IllegalArgumentException("successExitCodes: empty (expected: at least one exit code)");
        }
    }

    /**
     * Starts a builder; everything but the name and command has a default.
     *
     * @param name the service's name
     * @param command the program and its arguments
     * @return the builder
     */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
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
        private Path workingDirectory = Path.of("").toAbsolutePath();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private OptionalInt port = OptionalInt.empty();
        private @Nullable HealthProbe readiness;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private final Map<String, DependencyCondition> dependencies = new LinkedHashMap<>();
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private StopSignal stopSignal = StopSignal.TERM;
        private Set<Integer> successExitCodes = Set.of(0);

        private Builder(String name, List<String> command) {
            this.name = name;
            this.command = new ArrayList<>(command);
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
         * Adds a dependency.
         *
         * @param service the name of the service to wait for
         * @param condition what it must reach first
         * @return this builder
         */
        public Builder dependsOn(String service, DependencyCondition condition) {
            dependencies.put(service, condition);
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
         * Builds the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException when a value is out of range
         */
        public ServiceSpec build() {
            return new ServiceSpec(
                    name,
                    command,
                    workingDirectory,
                    environment,
                    port,
                    Optional.ofNullable(readiness),
                    readyTimeout,
                    dependencies,
                    stopTimeout,
                    stopSignal,
                    successExitCodes);
        }
    }
}
