package dev.farm.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole project's configuration, as read from its {@code farm.yaml}.
 *
 * @param name the project's name; the project folder's name unless the file says otherwise
 * @param directory the project folder, absolute; relative paths in the file are resolved against it
 * @param source the file the configuration was read from, as the user named it
 * @param services the services in the order the file declares them, by name
 * @since 0.1
 */
public record FarmConfig(String name, Path directory, Path source, Map<String, ServiceConfig> services) {

    /**
     * Validates the components and keeps the services in declaration order.
     *
     * @param name the project's name; the project folder's name unless the file says otherwise
     * @param directory the project folder, absolute; relative paths in the file are resolved against it
     * @param source the file the configuration was read from, as the user named it
     * @param services the services in the order the file declares them, by name
     */
    public FarmConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(source, "source");
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    }

    /**
     * Returns the service with the given name.
     *
     * @param serviceName a service name
     * @return the service, or empty when the file declares none of that name
     */
    public Optional<ServiceConfig> service(String serviceName) {
        return Optional.ofNullable(services.get(serviceName));
    }
}
