package dev.farm.proxy.internal;

import dev.farm.proxy.Route;
import dev.farm.proxy.RouteTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An immutable {@link RouteTable}: routes sorted longest prefix first, so the first match wins. */
public final class SortedRouteTable implements RouteTable {

    private final List<Route> routes;
    private final Route[] sorted;

    /**
     * Sorts and checks the routes.
     *
     * @param routes the routes
     * @throws IllegalArgumentException when two routes share a prefix
     */
    public SortedRouteTable(List<Route> routes) {
        List<Route> copy = new ArrayList<>(routes);
        Set<String> prefixes = new HashSet<>();
        for (Route route : copy) {
            if (!prefixes.add(route.prefix())) {
                throw new IllegalArgumentException("routes: two routes for " + route.prefix() + " (expected: one)");
            }
        }
        copy.sort(Comparator.comparingInt((Route r) -> r.prefix().length())
                .reversed()
                .thenComparing(Route::prefix));
        this.routes = List.copyOf(copy);
        this.sorted = copy.toArray(new Route[0]);
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    @Override
    public Optional<Route> route(String path) {
        for (Route route : sorted) {
            if (route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "RouteTable" + routes;
    }
}
