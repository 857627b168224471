package dev.farm.proxy.internal;

import dev.farm.proxy.Route;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a route sends its requests: a service (address from {@link Upstreams}) or a URL, resolved once to every address
 * it has, so a refused IPv6 address falls back to the IPv4 one.
 */
record Target(String name, boolean service, List<InetSocketAddress> addresses, String authority) {

    static Target service(String name) {
        return new Target(name, true, List.of(), name);
    }

    /** Resolves URL targets once and keeps them; service targets cost nothing. */
    static final class Cache {
        private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();
        private final boolean localhostIsIpv4;

        Cache(boolean localhostIsIpv4) {
            this.localhostIsIpv4 = localhostIsIpv4;
        }

        /**
         * Returns the route's target.
         *
         * @throws IllegalArgumentException when a URL target is malformed, not http, or does not resolve; the message
         *     says which
         */
        Target of(Route route) {
            if (!route.targetIsUrl()) {
                return targets.computeIfAbsent(route.target(), Target::service);
            }
            Target known = targets.get(route.target());
            if (known != null) {
                return known;
            }
            Target resolved = resolve(route.target());
            targets.put(route.target(), resolved);
            return resolved;
        }

        private Target resolve(String url) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the route target " + url + " is not a URL: " + e.getMessage(), e);
            }
            if (!"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("the route target " + url
                        + " is not an http:// URL; farm-proxy talks plain HTTP to its targets");
            }
            String host = uri.getHost();
            if (host == null) {
                throw new IllegalArgumentException("the route target " + url + " names no host");
            }
            if (uri.getRawPath() != null
                    && !uri.getRawPath().isEmpty()
                    && !uri.getRawPath().equals("/")) {
                throw new IllegalArgumentException("the route target " + url
                        + " has a path; give the host and port only, and set the route's rewrite for a path");
            }
            int port = uri.getPort() == -1 ? 80 : uri.getPort();
            List<InetSocketAddress> addresses = new ArrayList<>();
            if (localhostIsIpv4 && host.equalsIgnoreCase("localhost")) {
                addresses.add(new InetSocketAddress(loopbackV4(), port));
            } else {
                try {
                    for (InetAddress address : InetAddress.getAllByName(host)) {
                        addresses.add(new InetSocketAddress(address, port));
                    }
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(
                            "the route target " + url + " does not resolve: unknown host " + host, e);
                }
            }
            return new Target(url, false, List.copyOf(addresses), host + ":" + port);
        }

        private static InetAddress loopbackV4() {
            try {
                return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
