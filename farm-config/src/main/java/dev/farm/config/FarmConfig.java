package dev.farm.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole project's configuration, fully resolved: whatever file it came from, with presets expanded, services
 * discovered, the active profile merged and every {@code ${...}} interpolated.
 *
 * @param name the project's name; the project folder's name unless the file says otherwise
 * @param directory the project folder, absolute; relative paths in the file are resolved against it
 * @param source the file the configuration was read from, as the user named it
 * @param profile the active profile, such as {@code dev}
 * @param profiles the profiles the file declares, in file order
 * @param services the services, declared ones in file order and then discovered ones, by name
 * @param proxy the reverse proxy, if the file declares one
 * @param codegen the codegen jobs in file order, by name
 * @since 0.1
 */
public record FarmConfig(
        String name,
        Path directory,
        Path source,
        String profile,
        List<String> profiles,
        Map<String, ServiceConfig> services,
        Optional<ProxyConfig> proxy,
        Map<String, CodegenConfig> codegen) {

    /**
     * Validates the components and copies the maps, keeping their order.
     *
     * @param name the project's name
     * @param directory the project folder, absolute
     * @param source the file the configuration was read from
     * @param profile the active profile
     * @param profiles the profiles the file declares
     * @param services the services by name
     * @param proxy the reverse proxy, if any
     * @param codegen the codegen jobs by name
     */
    public FarmConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(profile, "profile");
        profiles = List.copyOf(profiles);
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        Objects.requireNonNull(proxy, "proxy");
        codegen = Collections.unmodifiableMap(new LinkedHashMap<>(codegen));
    }

    /**
     * Returns the service with the given name.
     *
     * @param serviceName a service name
     * @return the service, or empty when there is none of that name
     */
    public Optional<ServiceConfig> service(String serviceName) {
        return Optional.ofNullable(services.get(serviceName));
    }
}
