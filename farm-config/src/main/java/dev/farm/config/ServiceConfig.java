package dev.farm.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry under {@code services:} in {@code farm.yaml}.
 *
 * @param name the key the service is declared under
 * @param command what to run
 * @param workingDirectory where to run it, absolute ({@code cwd}, resolved against the project folder)
 * @param environment variables added to the environment farm itself runs with ({@code env}), in file order
 * @param port the port the service listens on ({@code port}), if it declares one
 * @param ready how farm knows the service is ready ({@code ready}); without it, the service is ready once started
 * @param dependsOn the services this one waits for and the condition each must reach first ({@code depends_on})
 * @since 0.1
 */
public record ServiceConfig(
        String name,
        Command command,
        Path workingDirectory,
        Map<String, String> environment,
        OptionalInt port,
        Optional<ProbeConfig> ready,
        Map<String, DependencyCondition> dependsOn) {

    /**
     * Validates the components and copies the maps, keeping their order.
     *
     * @param name the key the service is declared under
     * @param command what to run
     * @param workingDirectory where to run it, absolute ({@code cwd}, resolved against the project folder)
     * @param environment variables added to the environment farm itself runs with ({@code env}), in file order
     * @param port the port the service listens on ({@code port}), if it declares one
     * @param ready how farm knows the service is ready ({@code ready}); without it, the service is ready once started
     * @param dependsOn the services this one waits for and the condition each must reach first ({@code depends_on})
     */
    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(ready, "ready");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        dependsOn = Collections.unmodifiableMap(new LinkedHashMap<>(dependsOn));
    }
}
