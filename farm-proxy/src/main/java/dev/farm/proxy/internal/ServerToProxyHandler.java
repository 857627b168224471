package dev.farm.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The server-to-proxy leg of one upstream connection. While an exchange uses the connection it hands every message to
 * that exchange's {@link ClientToProxyHandler}; while pooled it only watches for the target closing it.
 */
// Netty's ChannelFutures are fire-and-forget here: a failed write or close shows up as exceptionCaught or
// channelInactive on the channel, which is where this class handles it.
@SuppressWarnings("FutureReturnValueIgnored")
final class ServerToProxyHandler extends ChannelInboundHandlerAdapter {

    private final ProxyContext px;
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ClientToProxyHandler client;
    private @Nullable Throwable failure;
    boolean pooled;

    @Nullable
    InetSocketAddress poolAddress;

    long idleSince;

    // response-header timer: one scheduled check per connection, re-armed lazily
    private boolean awaiting;
    private long awaitingSince;
    private long timeoutNanos;
    private @Nullable ScheduledFuture<?> timer;

    ServerToProxyHandler(ProxyContext px) {
        this.px = px;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void attach(ClientToProxyHandler client) {
        this.client = client;
        this.failure = null;
        this.pooled = false;
    }

    void detach() {
        this.client = null;
        this.awaiting = false;
    }

    /** The request is fully sent: its response headers must come within the timeout, or the client gets 504. */
    void awaitResponse(long timeoutNanos) {
        this.awaiting = true;
        this.awaitingSince = System.nanoTime();
        this.timeoutNanos = timeoutNanos;
        if (timer == null && ctx != null) {
            timer = ctx.executor().schedule(this::checkTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    void responseStarted() {
        awaiting = false;
    }

    private void checkTimeout() {
        timer = null;
        ClientToProxyHandler owner = client;
        if (!awaiting || owner == null || ctx == null) {
            return;
        }
        long left = awaitingSince + timeoutNanos - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(this::checkTimeout, left, TimeUnit.NANOSECONDS);
            return;
        }
        awaiting = false;
        owner.serverTimedOut(ctx.channel(), timeoutNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientToProxyHandler owner = client;
        if (owner == null) {
            // a pooled connection must be silent; anything it sends means it is out of step
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        owner.serverRead(ctx.channel(), msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ClientToProxyHandler owner = client;
        if (owner != null) {
            owner.serverReadComplete(ctx.channel());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ClientToProxyHandler owner = client;
        if (owner != null) {
            owner.serverWritabilityChanged(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ClientToProxyHandler owner = client;
        client = null;
        if (owner != null) {
            owner.serverClosed(ctx.channel(), failure);
        } else if (pooled && poolAddress != null) {
            px.loop(ctx.channel().eventLoop()).removeFromPool(poolAddress, ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ClientToProxyHandler owner = client;
            if (owner != null) {
                owner.serverIdle(ctx.channel());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }
}
