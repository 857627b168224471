package dev.farm.proxy.internal;

import dev.farm.proxy.RouteTable;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.concurrent.ConcurrentHashMap;

/** What every connection of one proxy shares: settings, routes, target states, and one {@link LoopContext} per loop. */
final class ProxyContext {

    final NettyProxyServer.Settings settings;
    final Transport transport;
    final Upstreams upstreams;
    final Target.Cache targets;
    final ConcurrentHashMap<EventLoop, LoopContext> loops = new ConcurrentHashMap<>();
    volatile RouteTable routes;
    volatile int port;
    volatile boolean closing;

    ProxyContext(NettyProxyServer.Settings settings, Transport transport) {
        this.settings = settings;
        this.transport = transport;
        this.routes = settings.routes();
        this.targets = new Target.Cache(settings.localhostIsIpv4());
        this.upstreams = new Upstreams((service, upstream) -> {
            for (LoopContext loop : loops.values()) {
                loop.execute(() -> loop.stateChanged(service, upstream));
            }
        });
    }

    LoopContext loop(EventLoop eventLoop) {
        LoopContext loop = loops.get(eventLoop);
        return loop != null ? loop : loops.computeIfAbsent(eventLoop, l -> new LoopContext(this, l));
    }

    HttpDecoderConfig serverDecoder() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxHeaderSize())
                .setMaxHeaderSize(settings.maxHeaderSize())
                .setMaxChunkSize(64 * 1024);
    }

    HttpDecoderConfig clientDecoder() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(256 * 1024)
                .setMaxChunkSize(64 * 1024);
    }
}
