package dev.farm.proxy.internal;

import dev.farm.proxy.UpstreamState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The state one event loop keeps for its connections, touched only on that loop: the pool of idle upstream
 * connections per address (newest first), and the requests held per service target.
 */
// Netty's ChannelFutures are fire-and-forget here: a failed write or close shows up as exceptionCaught or
// channelInactive on the channel, which is where this class handles it.
@SuppressWarnings("FutureReturnValueIgnored")
final class LoopContext {

    private final ProxyContext px;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Bootstrap probeBootstrap;
    private final Map<InetSocketAddress, ArrayDeque<Channel>> pool = new HashMap<>();
    private final Map<String, HoldQueue> held = new HashMap<>();
    private final long poolIdleNanos;
    private @Nullable ScheduledFuture<?> sweeper;

    LoopContext(ProxyContext px, EventLoop loop) {
        this.px = px;
        this.loop = loop;
        this.poolIdleNanos = px.settings.poolIdleTimeout().toNanos();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(px.transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, px.settings.connectTimeout().toMillis()))
                .handler(new ProxyToServerInitializer(px));
        this.probeBootstrap = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                // a probe only connects and closes
            }
        });
    }

    void execute(Runnable task) {
        loop.execute(task);
    }

    ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return loop.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    ChannelFuture connect(InetSocketAddress address) {
        return bootstrap.connect(address);
    }

    /** Returns the newest idle connection to the address that is still open and not idle too long, or null. */
    @Nullable
    Channel acquire(InetSocketAddress address) {
        ArrayDeque<Channel> idle = pool.get(address);
        if (idle == null) {
            return null;
        }
        long now = System.nanoTime();
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            ServerToProxyHandler handler = channel.pipeline().get(ServerToProxyHandler.class);
            if (channel.isActive() && handler != null && now - handler.idleSince < poolIdleNanos) {
                handler.pooled = false;
                return channel;
            }
            channel.close();
        }
        return null;
    }

    /** Keeps an idle connection for reuse, and reads from it so a close by the target is seen at once. */
    void release(InetSocketAddress address, Channel channel, ServerToProxyHandler handler) {
        if (px.closing || !channel.isActive()) {
            channel.close();
            return;
        }
        handler.pooled = true;
        handler.poolAddress = address;
        handler.idleSince = System.nanoTime();
        pool.computeIfAbsent(address, a -> new ArrayDeque<>()).addFirst(channel);
        channel.read();
        if (sweeper == null) {
            sweeper = loop.scheduleWithFixedDelay(
                    this::sweep, poolIdleNanos / 2, poolIdleNanos / 2, TimeUnit.NANOSECONDS);
        }
    }

    void removeFromPool(InetSocketAddress address, Channel channel) {
        ArrayDeque<Channel> idle = pool.get(address);
        if (idle != null) {
            idle.remove(channel);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        boolean any = false;
        for (ArrayDeque<Channel> idle : pool.values()) {
            for (Iterator<Channel> it = idle.descendingIterator(); it.hasNext(); ) {
                Channel channel = it.next();
                ServerToProxyHandler handler = channel.pipeline().get(ServerToProxyHandler.class);
                if (!channel.isActive() || handler == null || now - handler.idleSince >= poolIdleNanos) {
                    it.remove();
                    channel.close();
                }
            }
            any |= !idle.isEmpty();
        }
        if (!any && sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    private void closePooled(@Nullable InetSocketAddress address) {
        for (Map.Entry<InetSocketAddress, ArrayDeque<Channel>> entry : pool.entrySet()) {
            if (address == null || entry.getKey().equals(address)) {
                List<Channel> channels = new ArrayList<>(entry.getValue());
                entry.getValue().clear();
                channels.forEach(Channel::close);
            }
        }
    }

    // ---- holding

    /** Returns false when the target's queue is full. */
    boolean hold(String service, ClientToProxyHandler request) {
        HoldQueue queue = held.computeIfAbsent(service, s -> new HoldQueue());
        if (queue.waiting.size() >= px.settings.maxHeldRequests()) {
            return false;
        }
        queue.waiting.add(request);
        return true;
    }

    void unhold(String service, ClientToProxyHandler request) {
        HoldQueue queue = held.get(service);
        if (queue != null) {
            queue.waiting.remove(request);
        }
    }

    /**
     * Starts probing a service the proxy believes up but that refused a connection (it restarted without telling):
     * every 100-250 ms a plain connect, and once one succeeds the held requests go.
     */
    void probe(String service) {
        HoldQueue queue = held.get(service);
        if (queue == null || queue.probe != null) {
            return;
        }
        long delay = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(100, 251));
        queue.probe = schedule(
                () -> {
                    queue.probe = null;
                    Upstreams.Upstream upstream = px.upstreams.get(service);
                    if (queue.waiting.isEmpty() || upstream.state() != UpstreamState.UP || upstream.address() == null) {
                        return;
                    }
                    probeBootstrap.connect(upstream.address()).addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            f.channel().close();
                            releaseAll(service);
                        } else {
                            probe(service);
                        }
                    });
                },
                delay);
    }

    void stateChanged(String service, Upstreams.Upstream upstream) {
        if (upstream.state() != UpstreamState.UP) {
            closePooled(upstream.address());
        }
        switch (upstream.state()) {
            case UP -> releaseAll(service);
            case DOWN -> {
                HoldQueue queue = held.get(service);
                if (queue != null) {
                    for (ClientToProxyHandler request : drain(queue)) {
                        request.targetDown(upstream.reason());
                    }
                }
            }
            case STARTING, RESTARTING -> {
                // held requests keep waiting; new ones join them
            }
        }
    }

    private void releaseAll(String service) {
        HoldQueue queue = held.get(service);
        if (queue != null) {
            for (ClientToProxyHandler request : drain(queue)) {
                request.released();
            }
        }
    }

    private static List<ClientToProxyHandler> drain(HoldQueue queue) {
        List<ClientToProxyHandler> all = new ArrayList<>(queue.waiting);
        queue.waiting.clear();
        return all;
    }

    /** Answers every held request (the proxy is closing) and closes the pooled connections. */
    void closeAll() {
        for (HoldQueue queue : held.values()) {
            for (ClientToProxyHandler request : drain(queue)) {
                request.proxyClosing();
            }
        }
        closePooled(null);
    }

    private static final class HoldQueue {
        final ArrayDeque<ClientToProxyHandler> waiting = new ArrayDeque<>();

        @Nullable
        ScheduledFuture<?> probe;
    }
}
