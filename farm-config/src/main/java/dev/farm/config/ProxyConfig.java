package dev.farm.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The one-port reverse proxy ({@code proxy}).
 *
 * @param port the port it listens on
 * @param autoPort whether the file said {@code port: auto} and {@code port} was picked when the file was read
 * @param hold how long a request waits for a restarting target
 * @param routes the routes, in file order
 * @since 0.1
 */
public record ProxyConfig(int port, boolean autoPort, Duration hold, List<RouteConfig> routes) {

    /** The default {@code port}. */
    public static final int DEFAULT_PORT = 4000;

    /** The default {@code hold}. */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(30);

    /**
     * Validates and copies the components.
     *
     * @param port the port it listens on, 1-65535
     * @param autoPort whether the port was picked by farm
     * @param hold how long a request waits for a restarting target
     * @param routes the routes, in file order
     */
    public ProxyConfig {
        ServiceConfig.checkPort(port, "port");
        Objects.requireNonNull(hold, "hold");
        routes = List.copyOf(routes);
    }
}
