package dev.farm.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One service, fully resolved: presets applied, profile merged, variables interpolated, {@code port: auto} picked.
 *
 * @param name the key the service is declared under (or, when discovered, its manifest's name or folder)
 * @param kind how farm runs it
 * @param command what to run ({@code command}; for a daemon, {@code start}); empty only for an external service
 * @param stop how to stop it ({@code stop}); required for a daemon, otherwise farm signals the process group
 * @param workingDirectory where to run it, absolute ({@code cwd})
 * @param environment the variables farm adds to its environment
 * @param port the port it listens on ({@code port}), if it declares one
 * @param autoPort whether the file said {@code port: auto} and the port was picked when the file was read
 * @param ready when it is ready ({@code ready}); without it, once started
 * @param alive what is checked while it runs ({@code alive}), if anything
 * @param dependsOn what must happen first, by service name, in file order ({@code depends_on})
 * @param restart when it is started again ({@code restart})
 * @param stopSignal the signal that asks it to stop, without the {@code SIG} prefix, such as {@code TERM}
 * @param stopTimeout how long to wait after the signal before killing it ({@code stop_timeout})
 * @param successExitCodes exit codes that count as success ({@code success_exit_codes})
 * @param adopt whether an instance already running (its probe passes) is used as it is and never stopped
 * @param watch what file changes do to it, in file order
 * @param preset the preset it was expanded from ({@code preset}), if any
 * @param models models the {@code ollama} preset pulls once it is ready ({@code models})
 * @param group its group, such as {@code domains} ({@code group}, or the discover rule's)
 * @param setup a command to run once before its first start, such as {@code npm install} for a discovered service
 *     whose {@code node_modules} is missing
 * @param optional whether the stack runs without it when its program is not installed and nothing answers on its
 *     port ({@code optional}); what depends on it then starts without waiting for it
 * @since 0.1
 */
public record ServiceConfig(
        String name,
        ServiceKind kind,
        Optional<Command> command,
        Optional<Command> stop,
        Path workingDirectory,
        Environment environment,
        OptionalInt port,
        boolean autoPort,
        Optional<ProbeConfig> ready,
        Optional<ProbeConfig> alive,
        Map<String, Dependency> dependsOn,
        RestartPolicy restart,
        String stopSignal,
        Duration stopTimeout,
        List<Integer> successExitCodes,
        boolean adopt,
        List<WatchRule> watch,
        Optional<String> preset,
        List<String> models,
        Optional<String> group,
        Optional<Command> setup,
        boolean optional) {

    /** The default {@code stop_timeout}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    /** The default {@code stop_signal}. */
    public static final String DEFAULT_STOP_SIGNAL = "TERM";

    /**
     * Validates the components and copies the collections, keeping their order.
     *
     * @param name the service's name
     * @param kind how farm runs it
     * @param command what to run; empty only for an external service
     * @param stop how to stop it; required for a daemon
     * @param workingDirectory where to run it, absolute
     * @param environment the variables farm adds
     * @param port the port it listens on, if any
     * @param autoPort whether the port was picked by farm
     * @param ready when it is ready, if probed
     * @param alive what is checked while it runs, if anything
     * @param dependsOn what must happen first, by service name
     * @param restart when it is started again
     * @param stopSignal the stop signal without the {@code SIG} prefix
     * @param stopTimeout how long to wait after the signal
     * @param successExitCodes exit codes that count as success
     * @param adopt whether a running instance is used as it is
     * @param watch what file changes do to it
     * @param preset the preset it was expanded from, if any
     * @param models models the ollama preset pulls
     * @param group its group, if any
     * @param setup a command to run once before its first start, if any
     * @param optional whether the stack runs without it when it is not installed
     */
    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(environment, "environment");
        port.ifPresent(p -> checkPort(p, "port"));
        if (command.isEmpty() && kind != ServiceKind.EXTERNAL) {
            throw new IllegalArgumentException("command: empty (expected: present for a " + kind.keyword() + ")");
        }
        if (stop.isEmpty() && kind == ServiceKind.DAEMON) {
            throw new IllegalArgumentException("stop: empty (expected: present for a daemon)");
        }
        dependsOn = Collections.unmodifiableMap(new LinkedHashMap<>(dependsOn));
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(stopSignal, "stopSignal");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        successExitCodes = List.copyOf(successExitCodes);
        watch = List.copyOf(watch);
        models = List.copyOf(models);
    }

    /**
     * Starts a builder for a process service with every other key at its default.
     *
     * @param name the service's name
     * @param command what to run
     * @param workingDirectory where to run it, absolute
     * @return the builder
     */
    public static Builder builder(String name, Command command, Path workingDirectory) {
        return new Builder(name, command, workingDirectory);
    }

    static void checkPort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 1-65535)");
        }
    }

    /**
     * Builds a {@link ServiceConfig} from its defaults, for tests and tools that make services in code.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private final Command command;
        private final Path workingDirectory;
        private ServiceKind kind = ServiceKind.PROCESS;
        private Optional<Command> stop = Optional.empty();
        private Environment environment = Environment.of(Map.of());
        private OptionalInt port = OptionalInt.empty();
        private Optional<ProbeConfig> ready = Optional.empty();
        private Map<String, Dependency> dependsOn = Map.of();
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;

        private Builder(String name, Command command, Path workingDirectory) {
            this.name = name;
            this.command = command;
            this.workingDirectory = workingDirectory;
        }

        /**
         * Sets the kind; a daemon also needs {@link #stop}.
         *
         * @param kind the kind
         * @return this builder
         */
        public Builder kind(ServiceKind kind) {
            this.kind = kind;
            return this;
        }

        /**
         * Sets the stop command.
         *
         * @param stop the command
         * @return this builder
         */
        public Builder stop(Command stop) {
            this.stop = Optional.of(stop);
            return this;
        }

        /**
         * Sets fixed environment variables.
         *
         * @param environment the variables
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Environment.of(environment);
            return this;
        }

        /**
         * Sets the port.
         *
         * @param port 1-65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = OptionalInt.of(port);
            return this;
        }

        /**
         * Sets the ready probe.
         *
         * @param ready the probe
         * @return this builder
         */
        public Builder ready(ProbeConfig ready) {
            this.ready = Optional.of(ready);
            return this;
        }

        /**
         * Sets the dependencies.
         *
         * @param dependsOn by service name, in order
         * @return this builder
         */
        public Builder dependsOn(Map<String, Dependency> dependsOn) {
            this.dependsOn = dependsOn;
            return this;
        }

        /**
         * Sets the stop timeout.
         *
         * @param stopTimeout the timeout
         * @return this builder
         */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
            return this;
        }

        /**
         * Builds the service.
         *
         * @return the service
         */
        public ServiceConfig build() {
            return new ServiceConfig(
                    name,
                    kind,
                    Optional.of(command),
                    stop,
                    workingDirectory,
                    environment,
                    port,
                    false,
                    ready,
                    Optional.empty(),
                    dependsOn,
                    RestartPolicy.DEFAULT,
                    DEFAULT_STOP_SIGNAL,
                    stopTimeout,
                    List.of(0),
                    false,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    false);
        }
    }
}
