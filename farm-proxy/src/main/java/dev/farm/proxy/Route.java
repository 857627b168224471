package dev.farm.proxy;

import java.util.Objects;

/**
 * A path prefix and the target that serves it: a service's name, or a URL such as {@code http://127.0.0.1:9000}.
 *
 * @param prefix the path prefix, starting with {@code /}, without a trailing {@code /} unless it is {@code /}
 * @param target a service name or an {@code http://} URL
 * @since 0.1
 */
public record Route(String prefix, String target) {

    /**
     * Validates the components.
     *
     * @param prefix the path prefix, starting with {@code /}, without a trailing {@code /} unless it is {@code /}
     * @param target a service name or an {@code http://} URL
     */
    public Route {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(target, "target");
        if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
            throw new IllegalArgumentException(
                    "prefix: " + prefix + " (expected: a path starting with / and not ending with /, or /)");
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException("target: blank (expected: a service name or a URL)");
        }
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
}
