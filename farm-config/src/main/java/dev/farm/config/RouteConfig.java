package dev.farm.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code proxy.routes}: requests under a path prefix go to a service or a URL.
 *
 * @param prefix the path prefix, starting with {@code /}; it matches on segment boundaries
 * @param target where matching requests go
 * @param rewrite what replaces the prefix in the forwarded path, if anything
 * @param websocket whether WebSocket upgrades pass through
 * @param hold how long a request waits for a restarting target, if the route overrides {@code proxy.hold}
 * @since 0.1
 */
public record RouteConfig(
        String prefix, Target target, Optional<String> rewrite, boolean websocket, Optional<Duration> hold) {

    /**
     * Validates the components.
     *
     * @param prefix the path prefix, starting with {@code /}
     * @param target where matching requests go
     * @param rewrite what replaces the prefix, if anything
     * @param websocket whether WebSocket upgrades pass through
     * @param hold the route's own hold, if any
     */
    public RouteConfig {
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix: " + prefix + " (expected: starting with /)");
        }
        Objects.requireNonNull(target, "target");
    }

    /**
     * Where a route's requests go.
     *
     * @since 0.1
     */
    public sealed interface Target {}

    /**
     * A service of the stack, at its port.
     *
     * @param name the service's name
     */
    public record ServiceTarget(String name) implements Target {}

    /**
     * A URL outside the stack.
     *
     * @param url an {@code http} or {@code https} URL
     */
    public record UrlTarget(URI url) implements Target {}
}
