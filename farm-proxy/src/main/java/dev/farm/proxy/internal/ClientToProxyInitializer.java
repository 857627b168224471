package dev.farm.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The client-to-proxy leg: keep-alive idle timer, HTTP server codec (never an aggregator), the proxy handler. */
@ChannelHandler.Sharable
final class ClientToProxyInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext px;

    ClientToProxyInitializer(ProxyContext px) {
        this.px = px;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast(
                        "idle",
                        new IdleStateHandler(0, 0, px.settings.clientKeepAlive().toNanos(), TimeUnit.NANOSECONDS))
                .addLast("http", new HttpServerCodec(px.serverDecoder()))
                .addLast("proxy", new ClientToProxyHandler(px));
    }
}
