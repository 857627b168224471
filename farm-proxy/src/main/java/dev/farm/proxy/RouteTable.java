package dev.farm.proxy;

import dev.farm.proxy.internal.SortedRouteTable;
import java.util.List;
import java.util.Optional;

/**
 * The proxy's routes: which target serves a request path. The longest matching prefix wins.
 *
 * <p>The proxy calls {@link #route(String)} once per request on one of its event-loop threads, so implementations
 * must be thread-safe and must not block. A proxy's table is replaced at runtime with {@link
 * ProxyServer#routes(RouteTable)}; a table itself may also change what it returns (requests already routed keep their
 * route).
 *
 * @since 0.1
 */
public interface RouteTable {

    /**
     * Returns an immutable table of these routes.
     *
     * @param routes the routes; two with the same prefix are an error
     * @return the table
     * @throws IllegalArgumentException when two routes have the same prefix
     */
    static RouteTable of(List<Route> routes) {
        return new SortedRouteTable(routes);
    }

    /**
     * Returns every route, longest prefix first.
     *
     * @return the routes, never {@code null}
     */
    List<Route> routes();

    /**
     * Returns the route for a request path: the one with the longest prefix that {@linkplain Route#matches(String)
     * matches} it.
     *
     * @param path the request's path, starting with {@code /}, possibly with a query
     * @return the route, or empty when none matches
     */
    default Optional<Route> route(String path) {
        return routes().stream()
                .filter(route -> route.matches(path))
                .max((a, b) -> Integer.compare(a.prefix().length(), b.prefix().length()));
    }
}
