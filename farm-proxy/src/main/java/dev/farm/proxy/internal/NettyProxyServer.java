package dev.farm.proxy.internal;

import dev.farm.proxy.ProxyException;
import dev.farm.proxy.ProxyServer;
import dev.farm.proxy.RouteTable;
import dev.farm.proxy.UpstreamState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default {@link ProxyServer}, on Netty. */
// Netty's ChannelFutures are fire-and-forget here: a failed write or close shows up as exceptionCaught or
// channelInactive on the channel, which is where this class handles it.
@SuppressWarnings("FutureReturnValueIgnored")
public final class NettyProxyServer implements ProxyServer {

    private static final Logger log = LoggerFactory.getLogger(NettyProxyServer.class);

    /**
     * What the builder configured.
     *
     * @param host the listen address
     * @param port the listen port, 0 for ephemeral
     * @param routes the initial routes
     * @param ioThreads event-loop threads
     * @param hold the default hold deadline
     * @param connectTimeout connect timeout to targets
     * @param responseTimeout response-header timeout
     * @param idleTimeout idle limit of a streaming exchange
     * @param clientKeepAlive idle limit of a client keep-alive connection
     * @param poolIdleTimeout idle limit of a pooled upstream connection
     * @param maxHeaderSize request head limit
     * @param maxHeldRequests held requests per target and loop
     * @param localhostIsIpv4 whether URL targets' localhost means 127.0.0.1
     * @param nativeTransport whether epoll or kqueue is preferred
     */
    public record Settings(
            String host,
            int port,
            RouteTable routes,
            int ioThreads,
            Duration hold,
            Duration connectTimeout,
            Duration responseTimeout,
            Duration idleTimeout,
            Duration clientKeepAlive,
            Duration poolIdleTimeout,
            int maxHeaderSize,
            int maxHeldRequests,
            boolean localhostIsIpv4,
            boolean nativeTransport) {}

    private enum State {
        NEW,
        STARTED,
        CLOSED
    }

    private final Settings settings;
    private final ProxyContext px;
    private final Object lock = new Object();
    private volatile State state = State.NEW;
    private @Nullable EventLoopGroup group;
    private @Nullable Channel listener;
    private volatile @Nullable InetSocketAddress address;

    /**
     * Creates the server; nothing is bound until {@link #start()}.
     *
     * @param settings what the builder configured
     */
    public NettyProxyServer(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.px = new ProxyContext(settings, Transport.pick(settings.nativeTransport()));
    }

    @Override
    public ProxyServer start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("proxy server is " + (state == State.CLOSED ? "closed" : "started"));
            }
            EventLoopGroup loops = px.transport.group(settings.ioThreads());
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loops)
                    .channel(px.transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ClientToProxyInitializer(px));
            ChannelFuture bound =
                    bootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                Throwable cause = bound.cause();
                String where = settings.host() + ":" + settings.port();
                String message = cause instanceof BindException
                        ? "the proxy cannot listen on " + where + ": the port is in use. Stop what holds it"
                                + " (`farm doctor` names it), or set proxy.port to another port or to auto."
                        : "the proxy cannot listen on " + where + ": " + cause;
                throw new ProxyException(message, cause);
            }
            group = loops;
            listener = bound.channel();
            address = (InetSocketAddress) bound.channel().localAddress();
            px.port = address.getPort();
            state = State.STARTED;
            log.debug("proxy listening on {} ({} transport)", address, px.transport.name());
            return this;
        }
    }

    @Override
    public InetSocketAddress address() {
        InetSocketAddress bound = address;
        if (bound == null) {
            throw new IllegalStateException("proxy server is " + (state == State.CLOSED ? "closed" : "not started"));
        }
        return bound;
    }

    @Override
    public RouteTable routes() {
        return px.routes;
    }

    @Override
    public void routes(RouteTable routes) {
        checkOpen();
        px.routes = Objects.requireNonNull(routes, "routes");
    }

    @Override
    public void upstream(String service, InetSocketAddress address, UpstreamState state, String reason) {
        checkOpen();
        px.upstreams.set(service, Objects.requireNonNull(address, "address"), state, reason);
    }

    @Override
    public void upstream(String service, UpstreamState state, String reason) {
        checkOpen();
        px.upstreams.set(service, null, state, reason);
    }

    @Override
    public UpstreamState state(String service) {
        return px.upstreams.get(service).state();
    }

    /**
     * Returns the name of the transport in use: epoll, kqueue or nio.
     *
     * @return the transport's name
     */
    public String transport() {
        return px.transport.name();
    }

    @Override
    public void close() {
        EventLoopGroup loops;
        Channel bound;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            loops = group;
            bound = listener;
            group = null;
            listener = null;
        }
        px.closing = true;
        if (bound != null) {
            bound.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (loops != null) {
            CountDownLatch answered = new CountDownLatch(px.loops.size());
            for (LoopContext loop : px.loops.values()) {
                loop.execute(() -> {
                    try {
                        loop.closeAll();
                    } finally {
                        answered.countDown();
                    }
                });
            }
            try {
                answered.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void checkOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("proxy server is closed");
        }
    }

    @Override
    public String toString() {
        InetSocketAddress bound = address;
        return "ProxyServer[" + (bound == null ? state : bound) + ", " + px.routes + "]";
    }
}
