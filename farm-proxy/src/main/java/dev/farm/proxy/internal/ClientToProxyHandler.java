package dev.farm.proxy.internal;

import dev.farm.proxy.Route;
import dev.farm.proxy.UpstreamState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the client-to-proxy and proxy-to-client legs, and the exchange in progress on it.
 *
 * <p>Everything here runs on the connection's event loop, and the upstream connection lives on the same loop, so there
 * is no locking. Reads are explicit ({@code AUTO_READ} is off): the client is read only while the request body has
 * somewhere to go (the upstream is connected and writable) or, once the request is complete, to notice the client
 * leaving; the upstream is read only while the client is writable. What one read brings beyond that waits in {@link
 * #inbound} (at most one read's worth: a pipelined request, or the first bytes of a held request's body).
 */
// Netty's ChannelFutures are fire-and-forget here: a failed write or close shows up as exceptionCaught or
// channelInactive on the channel, which is where this class handles it.
@SuppressWarnings("FutureReturnValueIgnored")
final class ClientToProxyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientToProxyHandler.class);

    /** A request body up to this size is kept until the response starts, so a dead pooled connection can be retried. */
    private static final int REPLAY_LIMIT = 64 * 1024;

    private final ProxyContext px;
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable LoopContext loop;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private @Nullable Exchange ex;
    private boolean closed;

    // WebSocket (any Upgrade) tunnel after a 101
    private boolean tunnel;
    private boolean switching;
    private @Nullable Channel peer;
    private final List<ByteBuf> earlyFromClient = new ArrayList<>(0);
    private final List<ByteBuf> earlyFromServer = new ArrayList<>(0);

    ClientToProxyHandler(ProxyContext px) {
        this.px = px;
    }

    /** One request and its response. */
    private static final class Exchange {
        final HttpRequest request;
        final Route route;
        final Target target;
        final boolean head;
        final boolean html;
        final boolean upgrade;
        final boolean http10;
        boolean keepAlive;

        @Nullable
        Channel server;

        @Nullable
        ServerToProxyHandler serverHandler;

        @Nullable
        InetSocketAddress address;

        int addressIndex;
        boolean reused;
        boolean retried;
        int raceHolds;
        boolean headSent;
        boolean requestDone;
        boolean responseStarted;
        boolean interim;
        boolean serverKeepAlive;
        boolean local;

        @Nullable
        List<HttpContent> replay;

        int replayBytes;
        boolean replayable = true;
        boolean held;
        long holdDeadline;

        @Nullable
        ScheduledFuture<?> holdTimer;

        Exchange(HttpRequest request, Route route, Target target, boolean html, boolean upgrade, boolean keepAlive) {
            this.request = request;
            this.route = route;
            this.target = target;
            this.head = request.method().equals(HttpMethod.HEAD);
            this.html = html;
            this.upgrade = upgrade;
            this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
            this.keepAlive = keepAlive;
        }

        String service() {
            return target.name();
        }
    }

    // ------------------------------------------------------------------ client-to-proxy

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.loop = px.loop(ctx.channel().eventLoop());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
            } else if (switching || peer == null) {
                earlyFromClient.add(buf);
            } else {
                peer.write(buf, peer.voidPromise());
            }
            return;
        }
        inbound.add(msg);
        drain();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (tunnel) {
            Channel server = peer;
            if (server != null && !switching) {
                server.flush();
                if (server.isWritable()) {
                    ctx.read();
                }
            }
            return;
        }
        updateReads();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            Channel server = tunnel ? peer : ex != null ? ex.server : null;
            if (server != null && !switching) {
                server.read();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        releaseAll(inbound);
        releaseAll(earlyFromClient);
        releaseAll(earlyFromServer);
        if (tunnel) {
            Channel server = peer;
            peer = null;
            if (server != null) {
                closeOnFlush(server);
            }
        }
        Exchange current = ex;
        ex = null;
        if (current != null) {
            abandon(current);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (ex == null && !tunnel && inbound.isEmpty()) {
                ctx.close(); // keep-alive connection idle too long
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("client connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Moves queued client messages on as far as the current exchange allows, then decides whether to read more. */
    private void drain() {
        Channel flush = null;
        while (!inbound.isEmpty() && !closed && !tunnel) {
            Exchange current = ex;
            if (current == null) {
                Object msg = inbound.poll();
                if (msg instanceof HttpRequest request) {
                    begin(request);
                } else {
                    ReferenceCountUtil.release(msg); // the rest of a request already answered and closed
                }
                continue;
            }
            if (current.requestDone) {
                break; // a pipelined request waits for this response
            }
            Object msg = inbound.peek();
            if (current.local) {
                inbound.poll();
                boolean last = msg instanceof LastHttpContent;
                ReferenceCountUtil.release(msg);
                if (last) {
                    current.requestDone = true;
                    finishLocal(current);
                }
                continue;
            }
            if (current.server == null || !current.headSent) {
                break; // connecting or held: the body waits
            }
            inbound.poll();
            sendBody(current, (HttpContent) msg);
            flush = current.server;
        }
        if (flush != null) {
            flush.flush();
        }
        updateReads();
    }

    private void updateReads() {
        ChannelHandlerContext c = ctx;
        if (closed || tunnel || c == null || !inbound.isEmpty()) {
            return;
        }
        Exchange current = ex;
        boolean want;
        if (current == null || current.local) {
            want = true;
        } else if (current.requestDone) {
            if (current.upgrade && !current.responseStarted) {
                return; // nothing more may be read until a 101 has switched the codecs off
            }
            want = true; // only to see the client leave (a pipelined request waits in inbound)
        } else {
            Channel server = current.server;
            want = server != null && current.headSent && server.isWritable();
        }
        if (want) {
            c.read();
        }
    }

    private void begin(HttpRequest request) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            ReferenceCountUtil.release(request);
            return;
        }
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ReferenceCountUtil.release(request);
            HttpResponseStatus status;
            String reason;
            if (cause instanceof TooLongHttpHeaderException) {
                status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                reason = "the request headers are larger than " + px.settings.maxHeaderSize()
                        + " bytes; send fewer or smaller headers (large cookies are the usual cause)";
            } else if (cause instanceof TooLongHttpLineException) {
                status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
                reason = "the request line is longer than " + px.settings.maxHeaderSize() + " bytes";
            } else if (cause instanceof TooLongFrameException) {
                status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                reason = "the request head is too large: " + cause.getMessage();
            } else {
                status = HttpResponseStatus.BAD_REQUEST;
                reason = "malformed request: " + (cause == null ? "unknown" : cause.getMessage());
            }
            boolean html = false;
            answerAndClose(status, status.code() == 400 ? "bad_request" : "request_too_large", reason, html);
            return;
        }
        if (request.protocolVersion().majorVersion() != 1
                || request.protocolVersion().minorVersion() > 1) {
            ReferenceCountUtil.release(request);
            answerAndClose(
                    HttpResponseStatus.BAD_REQUEST,
                    "bad_request",
                    "malformed request: " + request.protocolVersion().text() + " is not HTTP/1.0 or HTTP/1.1",
                    false);
            return;
        }
        String uri = request.uri();
        String path = originForm(uri);
        boolean html = acceptsHtml(request.headers());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (path == null) {
            localExchange(
                    request,
                    keepAlive,
                    html,
                    HttpResponseStatus.BAD_REQUEST,
                    "bad_request",
                    null,
                    "the request target " + uri + " is not a path");
            return;
        }
        Optional<Route> match;
        try {
            match = px.routes.route(path);
        } catch (RuntimeException e) {
            log.warn("the route table failed for {}", path, e);
            match = Optional.empty();
        }
        if (match.isEmpty()) {
            localExchange(
                    request,
                    keepAlive,
                    html,
                    HttpResponseStatus.NOT_FOUND,
                    "no_route",
                    null,
                    "no proxy route matches " + pathOnly(path) + "; routes: " + prefixes()
                            + ". Add a route to proxy.routes in farm.yaml.");
            return;
        }
        Route route = match.get();
        Target target;
        try {
            target = px.targets.of(route);
        } catch (IllegalArgumentException e) {
            localExchange(
                    request,
                    keepAlive,
                    html,
                    HttpResponseStatus.BAD_GATEWAY,
                    "bad_target",
                    route.target(),
                    e.getMessage());
            return;
        }
        boolean upgrade = route.websocket() && Headers.isUpgrade(request.headers());
        String upgradeValue = Headers.stripHopByHop(request);
        HttpHeaders headers = request.headers();
        if (upgrade && upgradeValue != null) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgradeValue);
        }
        SocketAddress remote = c.channel().remoteAddress();
        if (remote instanceof InetSocketAddress client) {
            Headers.addForwarded(headers, client, px.port);
        }
        request.setUri(route.rewritePath(path));
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        Exchange current = new Exchange(request, route, target, html, upgrade, keepAlive);
        ex = current;
        dispatch(current);
    }

    /** Sends the exchange where its target's state says: connect, hold, or answer that it is down. */
    private void dispatch(Exchange current) {
        if (!current.target.service()) {
            current.address = current.target.addresses().get(current.addressIndex);
            connect(current);
            return;
        }
        Upstreams.Upstream upstream = px.upstreams.get(current.service());
        switch (upstream.state()) {
            case UP -> {
                if (upstream.address() == null) {
                    hold(current, false);
                } else {
                    current.address = upstream.address();
                    connect(current);
                }
            }
            case STARTING, RESTARTING -> hold(current, false);
            case DOWN ->
                fail(
                        current,
                        HttpResponseStatus.BAD_GATEWAY,
                        "upstream_down",
                        current.service() + " is not running: " + upstream.reason());
        }
    }

    private void connect(Exchange current) {
        LoopContext l = loop;
        InetSocketAddress address = current.address;
        if (l == null || address == null) {
            return;
        }
        String host = current.route.host();
        if (host != null) {
            current.request
                    .headers()
                    .set(HttpHeaderNames.HOST, Route.HOST_TARGET.equals(host) ? hostPort(address) : host);
        }
        Channel pooled = l.acquire(address);
        if (pooled != null) {
            attach(current, pooled, true);
            return;
        }
        l.connect(address).addListener((ChannelFuture f) -> {
            if (ex != current || closed) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
                return;
            }
            if (f.isSuccess()) {
                attach(current, f.channel(), false);
            } else {
                connectFailed(current, address, f.cause());
            }
        });
    }

    private void connectFailed(Exchange current, InetSocketAddress address, @Nullable Throwable cause) {
        if (!current.target.service()
                && current.addressIndex + 1 < current.target.addresses().size()) {
            current.addressIndex++;
            dispatch(current);
            return;
        }
        if (current.target.service()
                && cause instanceof ConnectException
                && !(cause instanceof ConnectTimeoutException)) {
            Upstreams.Upstream upstream = px.upstreams.get(current.service());
            if (upstream.state() != UpstreamState.DOWN) {
                // up by the last word we had, yet refusing: it is restarting and we were not told (yet)
                hold(current, upstream.state() == UpstreamState.UP);
                return;
            }
        }
        fail(
                current,
                HttpResponseStatus.BAD_GATEWAY,
                "upstream_unavailable",
                describe(cause) + " (" + hostPort(address) + ")");
    }

    private void attach(Exchange current, Channel server, boolean reused) {
        ServerToProxyHandler handler = server.pipeline().get(ServerToProxyHandler.class);
        if (handler == null) {
            server.close();
            fail(current, HttpResponseStatus.BAD_GATEWAY, "upstream_unavailable", "the upstream connection closed");
            return;
        }
        handler.attach(this);
        current.server = server;
        current.serverHandler = handler;
        current.reused = reused;
        current.headSent = true;
        server.write(current.request, server.voidPromise());
        List<HttpContent> replay = current.replay;
        if (replay != null) {
            for (HttpContent content : replay) {
                server.write(content.retainedDuplicate(), server.voidPromise());
            }
        }
        if (current.requestDone) {
            handler.awaitResponse(responseTimeoutNanos(current));
        }
        server.flush();
        server.read();
        drain();
    }

    private void sendBody(Exchange current, HttpContent content) {
        Channel server = current.server;
        if (server == null) {
            ReferenceCountUtil.release(content);
            return;
        }
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            log.debug(
                    "malformed request body from {}: {}",
                    remote(),
                    content.decoderResult().cause());
            abandon(current);
            ex = null;
            closeOnFlush(channel());
            return;
        }
        if (current.replayable) {
            int size = content.content().readableBytes();
            if (current.replayBytes + size <= REPLAY_LIMIT) {
                if (current.replay == null) {
                    current.replay = new ArrayList<>(2);
                }
                current.replay.add(content.retainedDuplicate());
                current.replayBytes += size;
            } else {
                current.replayable = false;
                releaseReplay(current);
            }
        }
        boolean last = content instanceof LastHttpContent;
        server.write(content, server.voidPromise());
        if (last) {
            current.requestDone = true;
            ServerToProxyHandler handler = current.serverHandler;
            if (handler != null) {
                handler.awaitResponse(responseTimeoutNanos(current));
            }
        }
    }

    // ------------------------------------------------------------------ server-to-proxy, proxy-to-client

    void serverRead(Channel server, Object msg) {
        ChannelHandlerContext c = ctx;
        if (tunnel) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
            } else if (switching || c == null) {
                earlyFromServer.add(buf);
            } else {
                c.write(buf, c.voidPromise());
            }
            return;
        }
        Exchange current = ex;
        if (current == null || current.server != server || c == null || closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                serverBroke(
                        current,
                        server,
                        "sent a malformed response: " + response.decoderResult().cause());
                return;
            }
            ServerToProxyHandler handler = current.serverHandler;
            int code = response.status().code();
            if (code == 101) {
                if (current.upgrade) {
                    if (handler != null) {
                        handler.responseStarted();
                    }
                    switchToTunnel(current, server, response);
                } else {
                    ReferenceCountUtil.release(msg);
                    serverBroke(current, server, "switched protocols without being asked");
                }
                return;
            }
            if (code >= 100 && code < 200) {
                current.interim = true; // 100 Continue, 103 Early Hints: pass on, the real response follows
                Headers.stripHopByHop(response);
                if (!current.http10) {
                    c.write(msg, c.voidPromise());
                } else {
                    ReferenceCountUtil.release(msg);
                }
                return;
            }
            if (handler != null) {
                handler.responseStarted();
            }
            prepareResponse(current, response);
            current.responseStarted = true;
            boolean full = msg instanceof LastHttpContent;
            c.write(msg, c.voidPromise());
            if (full) {
                responseDone(current);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (current.interim) {
                boolean last = content instanceof LastHttpContent;
                if (!current.http10) {
                    c.write(msg, c.voidPromise());
                } else {
                    ReferenceCountUtil.release(msg);
                }
                if (last) {
                    current.interim = false;
                }
                return;
            }
            if (content.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                serverBroke(
                        current,
                        server,
                        "sent a malformed body: " + content.decoderResult().cause());
                return;
            }
            boolean last = content instanceof LastHttpContent;
            c.write(msg, c.voidPromise());
            if (last) {
                responseDone(current);
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    void serverReadComplete(Channel server) {
        ChannelHandlerContext c = ctx;
        if (c == null || closed) {
            return;
        }
        c.flush();
        if (switching) {
            return;
        }
        Channel current = tunnel ? peer : ex != null ? ex.server : null;
        if (current == server && c.channel().isWritable()) {
            server.read();
        }
    }

    void serverWritabilityChanged(Channel server) {
        if (!server.isWritable() || switching) {
            return;
        }
        ChannelHandlerContext c = ctx;
        if (tunnel) {
            if (c != null) {
                c.read();
            }
            return;
        }
        updateReads();
    }

    void serverClosed(Channel server, @Nullable Throwable cause) {
        if (tunnel) {
            if (server == peer) {
                peer = null;
                closeOnFlush(channel());
            }
            return;
        }
        Exchange current = ex;
        if (current == null || current.server != server) {
            return;
        }
        current.server = null;
        current.serverHandler = null;
        if (current.responseStarted) {
            // the target died mid-response: end the client's connection without a clean last chunk, so the client
            // knows the body is truncated
            ex = null;
            releaseReplay(current);
            ChannelHandlerContext c = ctx;
            if (c != null) {
                c.flush();
                c.close();
            }
            return;
        }
        if (!current.retried && current.replayable && current.reused) {
            // a pooled connection the target closed as we reused it: the request never reached it, send it again
            current.retried = true;
            current.headSent = false;
            log.debug(
                    "retrying {} {} on a new connection: {}",
                    current.request.method(),
                    current.request.uri(),
                    describe(cause));
            dispatch(current);
            return;
        }
        if (current.replayable && restartRace(current) && current.raceHolds < 3) {
            // the service accepted and hung up unanswered: it is going down under us. Wait for it as for a refused
            // connect (probed every 100-250 ms), a few times at most, so a server that always does this gets a 502
            current.raceHolds++;
            current.headSent = false;
            hold(current, true);
            return;
        }
        fail(
                current,
                HttpResponseStatus.BAD_GATEWAY,
                "upstream_unavailable",
                (cause == null ? "the connection closed before a response" : describe(cause)) + " ("
                        + hostPort(current.address) + ")");
    }

    /**
     * Whether a connection that closed before any response byte looks like a service going down under us (it
     * accepted, then stopped, without telling): then an idempotent request waits as for a refused connect, and goes
     * to the new process.
     */
    private static boolean restartRace(Exchange current) {
        if (!current.target.service()) {
            return false;
        }
        HttpMethod method = current.request.method();
        return method.equals(HttpMethod.GET)
                || method.equals(HttpMethod.HEAD)
                || method.equals(HttpMethod.OPTIONS)
                || method.equals(HttpMethod.PUT)
                || method.equals(HttpMethod.DELETE);
    }

    void serverTimedOut(Channel server, long timeoutNanos) {
        Exchange current = ex;
        if (current == null || current.server != server || current.responseStarted) {
            return;
        }
        current.server = null;
        current.serverHandler = null;
        server.close();
        fail(
                current,
                HttpResponseStatus.GATEWAY_TIMEOUT,
                "upstream_timeout",
                current.service() + " sent no response headers within " + human(Duration.ofNanos(timeoutNanos)) + " ("
                        + hostPort(current.address) + ")");
    }

    void serverIdle(Channel server) {
        if (tunnel) {
            return; // WebSockets have their own pings; no idle limit
        }
        Exchange current = ex;
        if (current == null || current.server != server) {
            return;
        }
        if (!current.responseStarted) {
            return; // the response-header timeout decides
        }
        log.debug(
                "closing an exchange idle for {}: {} {}",
                px.settings.idleTimeout(),
                current.request.method(),
                current.request.uri());
        current.server = null;
        server.close();
        ex = null;
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.close();
        }
    }

    private void serverBroke(Exchange current, Channel server, String what) {
        current.server = null;
        current.serverHandler = null;
        server.close();
        if (current.responseStarted) {
            ex = null;
            ChannelHandlerContext c = ctx;
            if (c != null) {
                c.flush();
                c.close();
            }
            return;
        }
        fail(current, HttpResponseStatus.BAD_GATEWAY, "bad_upstream_response", current.service() + " " + what);
    }

    private void prepareResponse(Exchange current, HttpResponse response) {
        current.serverKeepAlive = HttpUtil.isKeepAlive(response);
        Headers.stripHopByHop(response);
        int code = response.status().code();
        boolean bodyless = current.head || code == 204 || code == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean keepAlive = current.keepAlive;
        if (!bodyless && !chunked && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // the target ends the body by closing: chunk it for an HTTP/1.1 client so its connection stays usable
            if (current.http10) {
                keepAlive = false;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        current.keepAlive = keepAlive;
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (current.http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private void responseDone(Exchange current) {
        Channel server = current.server;
        ServerToProxyHandler handler = current.serverHandler;
        current.server = null;
        current.serverHandler = null;
        ex = null;
        releaseReplay(current);
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.flush(); // the detached server leg will not ask for it
        }
        if (server != null && handler != null) {
            handler.detach();
            LoopContext l = loop;
            if (current.requestDone && current.serverKeepAlive && l != null && current.address != null) {
                l.release(current.address, server, handler);
            } else {
                server.close();
            }
        }
        if (!current.requestDone || !current.keepAlive) {
            closeOnFlush(channel());
            return;
        }
        drain();
    }

    // ------------------------------------------------------------------ WebSocket tunnel

    private void switchToTunnel(Exchange current, Channel server, HttpResponse response) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        String upgrade = Headers.stripHopByHop(response);
        FullHttpResponse switched = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                response.status(),
                Unpooled.EMPTY_BUFFER,
                response.headers(),
                io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        switched.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (upgrade != null) {
            switched.headers().set(HttpHeaderNames.UPGRADE, upgrade);
        }
        ReferenceCountUtil.release(response);
        tunnel = true;
        switching = true;
        peer = server;
        ex = null;
        releaseReplay(current);
        // encoded at once by the server codec, which then goes: from here on both legs carry raw bytes
        c.writeAndFlush(switched, c.voidPromise());
        if (c.pipeline().get(HttpServerCodec.class) != null) {
            c.pipeline().remove(HttpServerCodec.class);
        }
        if (server.pipeline().get(HttpClientCodec.class) != null) {
            server.pipeline().remove(HttpClientCodec.class);
        }
        switching = false;
        for (ByteBuf buf : earlyFromServer) {
            c.write(buf, c.voidPromise());
        }
        earlyFromServer.clear();
        c.flush();
        for (ByteBuf buf : earlyFromClient) {
            server.write(buf, server.voidPromise());
        }
        earlyFromClient.clear();
        server.flush();
        c.read();
        server.read();
    }

    // ------------------------------------------------------------------ holding

    private void hold(Exchange current, boolean inferred) {
        LoopContext l = loop;
        if (l == null) {
            return;
        }
        long now = System.nanoTime();
        if (current.holdDeadline == 0) {
            Duration hold = current.route.hold() != null ? current.route.hold() : px.settings.hold();
            current.holdDeadline = now + hold.toNanos();
        }
        long left = current.holdDeadline - now;
        if (left <= 0) {
            holdExpired(current);
            return;
        }
        if (!l.hold(current.service(), this)) {
            fail(
                    current,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "hold_queue_full",
                    px.settings.maxHeldRequests() + " requests are already waiting for " + current.service()
                            + "; retry in a moment");
            return;
        }
        current.held = true;
        current.holdTimer = l.schedule(
                () -> {
                    if (ex == current && current.held) {
                        l.unhold(current.service(), this);
                        current.held = false;
                        holdExpired(current);
                    }
                },
                left);
        if (inferred) {
            l.probe(current.service());
        }
        updateReads();
    }

    private void unhold(Exchange current) {
        if (!current.held) {
            return;
        }
        current.held = false;
        ScheduledFuture<?> timer = current.holdTimer;
        current.holdTimer = null;
        if (timer != null) {
            timer.cancel(false);
        }
        LoopContext l = loop;
        if (l != null) {
            l.unhold(current.service(), this);
        }
    }

    private void holdExpired(Exchange current) {
        Upstreams.Upstream upstream = px.upstreams.get(current.service());
        Duration hold = current.route.hold() != null ? current.route.hold() : px.settings.hold();
        String state = switch (upstream.state()) {
            case STARTING -> "still starting";
            case RESTARTING -> "still restarting";
            case UP -> "refusing connections";
            case DOWN -> "down";
        };
        fail(
                current,
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                "upstream_not_ready",
                current.service() + " is " + state + " (" + upstream.reason() + ") after waiting " + human(hold)
                        + ". Its log says why; raise proxy.hold to wait longer.");
    }

    /** The target is up: the held request goes. Called by {@link LoopContext} on this loop. */
    void released() {
        Exchange current = ex;
        if (current == null || !current.held) {
            return;
        }
        ScheduledFuture<?> timer = current.holdTimer;
        current.holdTimer = null;
        current.held = false;
        if (timer != null) {
            timer.cancel(false);
        }
        dispatch(current);
    }

    /** The target stopped for good while the request waited. */
    void targetDown(String reason) {
        Exchange current = ex;
        if (current == null || !current.held) {
            return;
        }
        current.held = false;
        ScheduledFuture<?> timer = current.holdTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        fail(
                current,
                HttpResponseStatus.BAD_GATEWAY,
                "upstream_down",
                current.service() + " is not running: " + reason);
    }

    void proxyClosing() {
        Exchange current = ex;
        if (current == null || !current.held) {
            return;
        }
        current.held = false;
        fail(current, HttpResponseStatus.SERVICE_UNAVAILABLE, "proxy_closing", "the farm proxy is shutting down");
    }

    // ------------------------------------------------------------------ local answers

    /** Answers the current exchange itself (no response has started): an error, then on or closed. */
    private void fail(Exchange current, HttpResponseStatus status, String error, @Nullable String reason) {
        unhold(current);
        Channel server = current.server;
        if (server != null) {
            current.server = null;
            ServerToProxyHandler handler = current.serverHandler;
            if (handler != null) {
                handler.detach();
            }
            server.close();
        }
        releaseReplay(current);
        String why = reason == null ? status.reasonPhrase() : reason;
        if (status.code() >= 500) {
            log.debug("{} {} -> {}: {}", current.request.method(), current.request.uri(), status.code(), why);
        }
        ChannelHandlerContext c = ctx;
        if (c == null || closed) {
            ex = null;
            return;
        }
        current.local = true;
        boolean keepAlive = current.keepAlive && !current.upgrade;
        current.keepAlive = keepAlive;
        c.writeAndFlush(
                ErrorResponses.create(
                        c.alloc(), status, error, current.service(), why, current.html, current.head, keepAlive),
                c.voidPromise());
        current.responseStarted = true;
        if (current.requestDone || !keepAlive) {
            ex = null;
            if (keepAlive) {
                drain();
            } else {
                closeOnFlush(c.channel());
            }
        } else {
            drain(); // the rest of the body is read and dropped, then finishLocal
        }
    }

    private void localExchange(
            HttpRequest request,
            boolean keepAlive,
            boolean html,
            HttpResponseStatus status,
            String error,
            @Nullable String service,
            String reason) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        c.writeAndFlush(
                ErrorResponses.create(c.alloc(), status, error, service, reason, html, head, keepAlive),
                c.voidPromise());
        if (!keepAlive) {
            closeOnFlush(c.channel());
            closed = true;
            releaseAll(inbound);
            return;
        }
        Exchange current = new Exchange(
                request, new Route("/", "-"), Target.service(service == null ? "-" : service), html, false, keepAlive);
        current.local = true;
        current.responseStarted = true;
        ex = current;
        // drain() drops the body and calls finishLocal on its last part
    }

    private void finishLocal(Exchange current) {
        if (ex == current) {
            ex = null;
        }
        if (!current.keepAlive) {
            closeOnFlush(channel());
        }
    }

    private void answerAndClose(HttpResponseStatus status, String error, String reason, boolean html) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        closed = true;
        releaseAll(inbound);
        c.writeAndFlush(ErrorResponses.create(c.alloc(), status, error, null, reason, html, false, false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    // ------------------------------------------------------------------ helpers

    /** The client left or broke off: stop holding, close the upstream (never pool it), drop what was kept. */
    private void abandon(Exchange current) {
        unhold(current);
        Channel server = current.server;
        current.server = null;
        ServerToProxyHandler handler = current.serverHandler;
        if (handler != null) {
            handler.detach();
        }
        if (server != null) {
            server.close();
        }
        releaseReplay(current);
    }

    private long responseTimeoutNanos(Exchange current) {
        Duration timeout = current.route.responseTimeout();
        return (timeout != null ? timeout : px.settings.responseTimeout()).toNanos();
    }

    private Channel channel() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("handler not added");
        }
        return c.channel();
    }

    private @Nullable SocketAddress remote() {
        ChannelHandlerContext c = ctx;
        return c == null ? null : c.channel().remoteAddress();
    }

    private String prefixes() {
        List<String> prefixes = new ArrayList<>();
        for (Route route : px.routes.routes()) {
            prefixes.add(route.prefix());
        }
        return prefixes.isEmpty() ? "none" : String.join(", ", prefixes);
    }

    private static void releaseReplay(Exchange current) {
        List<HttpContent> replay = current.replay;
        current.replay = null;
        if (replay != null) {
            releaseAll(replay);
        }
    }

    private static void releaseAll(java.util.Collection<?> messages) {
        for (Object msg : messages) {
            ReferenceCountUtil.release(msg);
        }
        messages.clear();
    }

    static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** The path and query of a request target in origin form, or of an absolute-form one; null for anything else. */
    static @Nullable String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme > 0) {
            int slash = uri.indexOf('/', scheme + 3);
            int query = uri.indexOf('?', scheme + 3);
            if (slash < 0 && query < 0) {
                return "/";
            }
            if (slash < 0 || (query >= 0 && query < slash)) {
                return "/" + uri.substring(query);
            }
            return uri.substring(slash);
        }
        return null;
    }

    private static String pathOnly(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static boolean acceptsHtml(HttpHeaders headers) {
        String accept = headers.get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("text/html");
    }

    private static String describe(@Nullable Throwable cause) {
        if (cause == null) {
            return "the connection closed";
        }
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        String message = cause.getMessage();
        if (cause instanceof ConnectException) {
            return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("refused")
                    ? "connection refused"
                    : "cannot connect: " + message;
        }
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
            return "connection reset";
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    private static String hostPort(@Nullable InetSocketAddress address) {
        if (address == null) {
            return "no address";
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis + " ms";
    }
}
