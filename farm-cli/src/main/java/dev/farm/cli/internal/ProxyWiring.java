package dev.farm.cli.internal;

import dev.farm.config.FarmConfig;
import dev.farm.config.ProxyConfig;
import dev.farm.config.RouteConfig;
import dev.farm.config.ServiceConfig;
import dev.farm.process.ServiceEvent;
import dev.farm.proxy.ProxyServer;
import dev.farm.proxy.Route;
import dev.farm.proxy.UpstreamState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the proxy meets the rest: {@code proxy:} config into {@link Route}s (by service name, so {@code port: auto}
 * works), and supervisor events into each target's {@link UpstreamState}, so requests wait while a service restarts.
 */
public final class ProxyWiring implements Consumer<ServiceEvent> {

    /** Ollama loads a model on the first request: its routes wait and answer slowly. */
    static final Duration OLLAMA_HOLD = Duration.ofMinutes(5);

    /** Services listen on 127.0.0.1 (the {@code ${port}} they get is meant for it). */
    private static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final ProxyServer proxy;
    private final FarmConfig config;

    /**
     * Wires a started proxy to a stack: registers every service a route names, as starting.
     *
     * @param proxy the proxy, started
     * @param config the stack's configuration
     */
    public ProxyWiring(ProxyServer proxy, FarmConfig config) {
        this.proxy = proxy;
        this.config = config;
        for (String service : targets(config)) {
            ServiceConfig target = config.services().get(service);
            if (target != null && target.port().isPresent()) {
                proxy.upstream(
                        service,
                        new InetSocketAddress(LOOPBACK, target.port().getAsInt()),
                        UpstreamState.STARTING,
                        "it is starting");
            }
        }
    }

    /**
     * Returns the routes for a configuration.
     *
     * @param config the configuration
     * @return the routes, in file order
     */
    public static List<Route> routes(FarmConfig config) {
        List<Route> routes = new ArrayList<>();
        Optional<ProxyConfig> proxy = config.proxy();
        if (proxy.isEmpty()) {
            return routes;
        }
        for (RouteConfig route : proxy.get().routes()) {
            String prefix = route.prefix().length() > 1 && route.prefix().endsWith("/")
                    ? route.prefix().substring(0, route.prefix().length() - 1)
                    : route.prefix();
            Route translated;
            if (route.target() instanceof RouteConfig.ServiceTarget service) {
                translated = new Route(prefix, service.name());
                ServiceConfig target = config.services().get(service.name());
                if (target != null && target.preset().filter("ollama"::equals).isPresent()) {
                    // Ollama checks Host, and loads a model before its first byte
                    translated = translated
                            .withHost(Route.HOST_TARGET)
                            .withHold(OLLAMA_HOLD)
                            .withResponseTimeout(OLLAMA_HOLD);
                }
            } else {
                translated = new Route(
                        prefix, ((RouteConfig.UrlTarget) route.target()).url().toString());
            }
            if (route.rewrite().isPresent()) {
                translated = translated.withRewrite(route.rewrite().get());
            }
            if (route.hold().isPresent()) {
                translated = translated.withHold(route.hold().get());
            }
            routes.add(translated.withWebSocket(route.websocket()));
        }
        return routes;
    }

    private static List<String> targets(FarmConfig config) {
        List<String> names = new ArrayList<>();
        config.proxy()
                .ifPresent(proxy -> proxy.routes().forEach(route -> {
                    if (route.target() instanceof RouteConfig.ServiceTarget service
                            && !names.contains(service.name())) {
                        names.add(service.name());
                    }
                }));
        return names;
    }

    /** Feeds a supervisor event to the proxy. Called on the supervisor's threads. */
    @Override
    public void accept(ServiceEvent event) {
        if (!config.services().containsKey(event.service())) {
            return;
        }
        String why =
                event.message().isBlank() ? event.state().name().toLowerCase(java.util.Locale.ROOT) : event.message();
        UpstreamState state = switch (event.state()) {
            case PENDING, STARTING -> UpstreamState.STARTING;
            case READY -> UpstreamState.UP;
            case RESTARTING -> UpstreamState.RESTARTING;
            case STOPPING -> why.contains("restart") ? UpstreamState.RESTARTING : UpstreamState.DOWN;
            case STOPPED, EXITED, FAILED, SKIPPED -> UpstreamState.DOWN;
        };
        try {
            proxy.upstream(event.service(), state, why);
        } catch (IllegalStateException closed) {
            // the proxy closed first during shutdown
        }
    }
}
