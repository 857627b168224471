package dev.farm.proxy;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A path prefix and the target that serves it: a service's name, or a URL such as {@code http://127.0.0.1:9000}.
 *
 * <p>Matching is on segment boundaries: {@code /api} matches {@code /api}, {@code /api/users} and {@code /api?x=1},
 * never {@code /apiary}. The optional pieces are set with the {@code with…} methods:
 *
 * <pre>{@code
 * new Route("/ollama", "ollama").withRewrite("/api").withHost(Route.HOST_TARGET).withHold(Duration.ofMinutes(5))
 * }</pre>
 *
 * @param prefix the path prefix, starting with {@code /}, without a trailing {@code /} unless it is {@code /}
 * @param target a service name (resolved through {@link ProxyServer#upstream}) or an {@code http://} URL
 * @param rewrite what replaces the prefix in the forwarded path, or {@code null} to forward the path unchanged
 * @param host the {@code Host} header sent upstream: {@code null} keeps the client's, {@link #HOST_TARGET} sends the
 *     target's address, anything else is sent as given
 * @param websocket whether WebSocket (and other {@code Upgrade}) requests pass through
 * @param hold how long a request waits while the target starts or restarts, or {@code null} for the proxy's default
 * @param responseTimeout how long the target may take to send response headers, or {@code null} for the proxy's
 *     default
 * @since 0.1
 */
public record Route(
        String prefix,
        String target,
        @Nullable String rewrite,
        @Nullable String host,
        boolean websocket,
        @Nullable Duration hold,
        @Nullable Duration responseTimeout) {

    /** The {@link #host} value that sends the target's {@code host:port} as the {@code Host} header. */
    public static final String HOST_TARGET = "target";

    /**
     * Validates the components.
     *
     * @param prefix the path prefix, starting with {@code /}, without a trailing {@code /} unless it is {@code /}
     * @param target a service name or an {@code http://} URL
     * @param rewrite what replaces the prefix, or {@code null}
     * @param host the {@code Host} header policy, or {@code null} to keep the client's
     * @param websocket whether upgrades pass through
     * @param hold the hold deadline, or {@code null}
     * @param responseTimeout the response-header timeout, or {@code null}
     */
    public Route {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(target, "target");
        checkPath(prefix, "prefix");
        if (rewrite != null) {
            checkPath(rewrite, "rewrite");
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException("target: blank (expected: a service name or a URL)");
        }
        if (host != null && host.isBlank()) {
            throw new IllegalArgumentException("host: blank (expected: null, \"target\" or a host name)");
        }
        checkPositive(hold, "hold");
        checkPositive(responseTimeout, "responseTimeout");
    }

    /**
     * A route with the defaults: path forwarded unchanged, client's {@code Host} kept, WebSockets on, the proxy's
     * hold and timeouts.
     *
     * @param prefix the path prefix
     * @param target a service name or an {@code http://} URL
     */
    public Route(String prefix, String target) {
        this(prefix, target, null, null, true, null, null);
    }

    /**
     * Returns this route with the prefix replaced by {@code rewrite} in forwarded paths: {@code /ollama/tags} with
     * rewrite {@code /api} goes upstream as {@code /api/tags}; with rewrite {@code /} as {@code /tags}.
     *
     * @param rewrite the replacement, starting with {@code /}
     * @return the new route
     */
    public Route withRewrite(String rewrite) {
        return new Route(prefix, target, rewrite, host, websocket, hold, responseTimeout);
    }

    /**
     * Returns this route with another {@code Host} header policy.
     *
     * @param host {@link #HOST_TARGET}, a host name (with an optional port), or {@code null} to keep the client's
     * @return the new route
     */
    public Route withHost(@Nullable String host) {
        return new Route(prefix, target, rewrite, host, websocket, hold, responseTimeout);
    }

    /**
     * Returns this route with WebSocket upgrades on or off.
     *
     * @param websocket whether upgrades pass through; when off an upgrade request is forwarded as a plain request
     * @return the new route
     */
    public Route withWebSocket(boolean websocket) {
        return new Route(prefix, target, rewrite, host, websocket, hold, responseTimeout);
    }

    /**
     * Returns this route with its own hold deadline.
     *
     * @param hold how long a request waits for a starting or restarting target, positive
     * @return the new route
     */
    public Route withHold(Duration hold) {
        return new Route(prefix, target, rewrite, host, websocket, hold, responseTimeout);
    }

    /**
     * Returns this route with its own response-header timeout.
     *
     * @param responseTimeout how long the target may take to start its response, positive
     * @return the new route
     */
    public Route withResponseTimeout(Duration responseTimeout) {
        return new Route(prefix, target, rewrite, host, websocket, hold, responseTimeout);
    }

    /**
     * Tells whether the target is a URL rather than a service name.
     *
     * @return whether {@link #target} starts with {@code http://} or {@code https://}
     */
    public boolean targetIsUrl() {
        return target.startsWith("http://") || target.startsWith("https://");
    }

    /**
     * Tells whether a request path falls under this route, on segment boundaries: {@code /api} matches {@code /api},
     * {@code /api/users} and {@code /api?x=1}, never {@code /apiary}.
     *
     * @param path the request path, possibly with a query
     * @return whether it matches
     */
    public boolean matches(String path) {
        if (prefix.equals("/")) {
            return path.startsWith("/");
        }
        if (!path.startsWith(prefix)) {
            return false;
        }
        if (path.length() == prefix.length()) {
            return true;
        }
        char next = path.charAt(prefix.length());
        return next == '/' || next == '?' || next == '#';
    }

    /**
     * Returns the path this route forwards upstream for a request path it {@linkplain #matches matches}: the path
     * unchanged without a rewrite, else the prefix replaced (the query kept).
     *
     * @param path a request path that this route matches
     * @return the upstream path, starting with {@code /}
     */
    public String rewritePath(String path) {
        if (rewrite == null || prefix.equals(rewrite)) {
            return path;
        }
        String rest = prefix.equals("/") ? path.substring(1) : path.substring(prefix.length());
        // rest is "", "/…", "?…" or "#…" (or, for the / prefix, "…")
        if (prefix.equals("/") && !rest.isEmpty() && rest.charAt(0) != '?' && rest.charAt(0) != '#') {
            rest = "/" + rest;
        }
        if (rewrite.equals("/")) {
            return rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
        }
        return rewrite + rest;
    }

    private static void checkPath(String path, String what) {
        if (!path.startsWith("/") || (path.length() > 1 && path.endsWith("/"))) {
            throw new IllegalArgumentException(
                    what + ": " + path + " (expected: a path starting with / and not ending with /, or /)");
        }
    }

    private static void checkPositive(@Nullable Duration duration, String what) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException(what + ": " + duration + " (expected: positive)");
        }
    }
}
