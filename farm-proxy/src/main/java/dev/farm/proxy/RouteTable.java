package dev.farm.proxy;

import java.util.List;
import java.util.Optional;

/**
 * The proxy's routes: which target serves a request path. The longest matching prefix wins.
 *
 * <p>This is the API sketch; the Netty proxy that uses it comes with the farm-proxy issue.
 *
 * @since 0.1
 */
public interface RouteTable {

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
     * @param path the request's path, starting with {@code /}
     * @return the route, or empty when none matches
     */
    default Optional<Route> route(String path) {
        return routes().stream()
                .filter(route -> route.matches(path))
                .max((a, b) -> Integer.compare(a.prefix().length(), b.prefix().length()));
    }
}
