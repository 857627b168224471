package dev.farm.proxy;

import dev.farm.proxy.internal.NettyProxyServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One port in front of a whole local stack: each request goes to the target its {@link Route} names, bodies stream
 * both ways without buffering, WebSocket upgrades become byte tunnels, and while a service target starts or restarts
 * its requests wait instead of failing.
 *
 * <pre>{@code
 * try (ProxyServer proxy = ProxyServer.builder()
 *         .port(4000)
 *         .routes(RouteTable.of(List.of(new Route("/api", "api"), new Route("/", "http://127.0.0.1:5173"))))
 *         .build()
 *         .start()) {
 *     proxy.upstream("api", new InetSocketAddress("127.0.0.1", 8000), UpstreamState.UP, "ready");
 *     ...
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe. Errors reach the client as JSON ({@code {"error":…,"service":…,"reason":…}}) or, for a
 * browser asking for HTML, as a small page: 502 when the target refuses or drops the connection before answering, 503
 * when a hold deadline passes, 504 when response headers do not come in time, 400 for a malformed request and 431 for
 * headers over the limit.
 *
 * @since 0.1
 */
public interface ProxyServer extends AutoCloseable {

    /**
     * Returns a builder with the defaults: 127.0.0.1, an ephemeral port, no routes, hold 30 s.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving. Returns once the port is bound.
     *
     * @return this server
     * @throws ProxyException when the port cannot be bound; the message names the port and what to do
     * @throws IllegalStateException when already started or closed
     */
    ProxyServer start();

    /**
     * Returns the address it listens on.
     *
     * @return the bound address
     * @throws IllegalStateException when not started
     */
    InetSocketAddress address();

    /**
     * Returns the port it listens on.
     *
     * @return the bound port
     * @throws IllegalStateException when not started
     */
    default int port() {
        return address().getPort();
    }

    /**
     * Returns the route table in use.
     *
     * @return the table
     */
    RouteTable routes();

    /**
     * Replaces the route table. Requests already routed finish on their old route.
     *
     * @param routes the new table
     */
    void routes(RouteTable routes);

    /**
     * Tells the proxy where a service target listens and in what state it is. A service never named here is treated
     * as {@link UpstreamState#STARTING}.
     *
     * @param service the service name that routes use as their target
     * @param address where it listens, usually 127.0.0.1 and its port
     * @param state its state
     * @param reason why, for messages: "ready", "restarting: src/main.py changed", "exited with code 1"
     */
    void upstream(String service, InetSocketAddress address, UpstreamState state, String reason);

    /**
     * Changes a known service target's state, keeping its address.
     *
     * @param service the service name
     * @param state its state
     * @param reason why, for messages
     */
    void upstream(String service, UpstreamState state, String reason);

    /**
     * Returns the state of a service target.
     *
     * @param service the service name
     * @return its state, {@link UpstreamState#STARTING} when never told
     */
    UpstreamState state(String service);

    /**
     * Stops listening, closes every connection (held requests get 503) and releases the threads. Harmless when
     * already closed.
     */
    @Override
    void close();

    /** Configures a {@link ProxyServer}. */
    final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private RouteTable routes = RouteTable.of(java.util.List.of());
        private int ioThreads = 1;
        private Duration hold = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration clientKeepAlive = Duration.ofSeconds(75);
        private Duration poolIdleTimeout = Duration.ofSeconds(4);
        private int maxHeaderSize = 16 * 1024;
        private int maxHeldRequests = 1024;
        private boolean localhostIsIpv4 = true;
        private boolean nativeTransport = true;

        Builder() {}

        /**
         * Sets the address to listen on; default {@code 127.0.0.1}.
         *
         * @param host an IP address or host name
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port; default 0, an ephemeral port ({@link ProxyServer#port()} tells which).
         *
         * @param port 0-65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the routes.
         *
         * @param routes the table
         * @return this builder
         */
        public Builder routes(RouteTable routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        /**
         * Sets the routes.
         *
         * @param routes the routes
         * @return this builder
         */
        public Builder routes(java.util.List<Route> routes) {
            return routes(RouteTable.of(routes));
        }

        /**
         * Sets the number of event-loop threads; default 1, which serves tens of thousands of requests a second.
         *
         * @param ioThreads at least 1
         * @return this builder
         */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: at least 1)");
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Sets how long a request waits for a starting or restarting target when its route sets no hold; default 30 s.
         *
         * @param hold positive
         * @return this builder
         */
        public Builder hold(Duration hold) {
            this.hold = positive(hold, "hold");
            return this;
        }

        /**
         * Sets the connect timeout to a target; default 2 s.
         *
         * @param connectTimeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how long a target may take, once a request is sent, to send response headers (504 after); default 60 s.
         *
         * @param responseTimeout positive
         * @return this builder
         */
        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = positive(responseTimeout, "responseTimeout");
            return this;
        }

        /**
         * Sets how long a streaming exchange may go without a byte either way before both connections close; default
         * 10 min. Never a total time: a stream may last hours. WebSocket tunnels have no idle limit.
         *
         * @param idleTimeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Sets how long an idle client keep-alive connection stays open; default 75 s.
         *
         * @param clientKeepAlive positive
         * @return this builder
         */
        public Builder clientKeepAlive(Duration clientKeepAlive) {
            this.clientKeepAlive = positive(clientKeepAlive, "clientKeepAlive");
            return this;
        }

        /**
         * Sets how long an idle upstream connection stays pooled; default 4 s, below uvicorn's 5 s keep-alive, so the
         * proxy never reuses a connection the target is closing.
         *
         * @param poolIdleTimeout positive
         * @return this builder
         */
        public Builder poolIdleTimeout(Duration poolIdleTimeout) {
            this.poolIdleTimeout = positive(poolIdleTimeout, "poolIdleTimeout");
            return this;
        }

        /**
         * Sets the limit on a request's header block (and on its request line); default 16 KiB. Beyond it the client
         * gets 431.
         *
         * @param maxHeaderSize at least 1024 bytes
         * @return this builder
         */
        public Builder maxHeaderSize(int maxHeaderSize) {
            if (maxHeaderSize < 1024) {
                throw new IllegalArgumentException("maxHeaderSize: " + maxHeaderSize + " (expected: at least 1024)");
            }
            this.maxHeaderSize = maxHeaderSize;
            return this;
        }

        /**
         * Sets how many requests may wait for one target per event loop; default 1024. Beyond it a request gets 503.
         *
         * @param maxHeldRequests at least 1
         * @return this builder
         */
        public Builder maxHeldRequests(int maxHeldRequests) {
            if (maxHeldRequests < 1) {
                throw new IllegalArgumentException("maxHeldRequests: " + maxHeldRequests + " (expected: at least 1)");
            }
            this.maxHeldRequests = maxHeldRequests;
            return this;
        }

        /**
         * Sets whether a URL target's {@code localhost} means 127.0.0.1 (the default), or whatever the resolver says.
         * Most dev servers listen on IPv4 only, and {@code localhost} resolving to {@code ::1} is the most reported
         * "connection refused" behind proxies.
         *
         * @param localhostIsIpv4 whether to map {@code localhost} to 127.0.0.1
         * @return this builder
         */
        public Builder localhostIsIpv4(boolean localhostIsIpv4) {
            this.localhostIsIpv4 = localhostIsIpv4;
            return this;
        }

        /**
         * Sets whether epoll (Linux) or kqueue (macOS) is used when available; default true. NIO otherwise.
         *
         * @param nativeTransport whether to prefer a native transport
         * @return this builder
         */
        public Builder nativeTransport(boolean nativeTransport) {
            this.nativeTransport = nativeTransport;
            return this;
        }

        /**
         * Builds the server; nothing is bound until {@link ProxyServer#start()}.
         *
         * @return the server
         */
        public ProxyServer build() {
            return new NettyProxyServer(new NettyProxyServer.Settings(
                    host,
                    port,
                    routes,
                    ioThreads,
                    hold,
                    connectTimeout,
                    responseTimeout,
                    idleTimeout,
                    clientKeepAlive,
                    poolIdleTimeout,
                    maxHeaderSize,
                    maxHeldRequests,
                    localhostIsIpv4,
                    nativeTransport));
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + ": " + duration + " (expected: positive)");
            }
            return duration;
        }
    }
}
