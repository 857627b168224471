package dev.farm.testkit;

import dev.farm.cli.DevServer;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The stack a {@link FarmStack} test class runs, as tests see it; declare it as a parameter to get it.
 *
 * <p>Thread-safe. It stays usable until the stack is stopped after the test class.
 *
 * @since 0.1
 */
public interface FarmStackHandle {

    /**
     * Returns one service of the stack.
     *
     * @param name the service's name in {@code farm.yaml}
     * @return the service, never {@code null}
     * @throws IllegalArgumentException when the stack has no such service; the message lists those it has
     */
    ServiceHandle service(String name);

    /**
     * Returns the names of the stack's services, in the order of its configuration.
     *
     * @return the names, never {@code null}
     */
    List<String> services();

    /**
     * Returns the base URL of the stack's proxy.
     *
     * @return {@code http://127.0.0.1:<port>}, or empty when the configuration has no proxy or it is turned off
     */
    Optional<URI> proxyUrl();

    /**
     * Returns the server that runs the stack, for what this handle does not offer.
     *
     * @return the running server, never {@code null}; do not close it, the extension does
     */
    DevServer server();
}
