package dev.farm.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The proxy-to-server leg: HTTP client codec (never an aggregator), an idle timer, and the relay back to the client. */
@ChannelHandler.Sharable
final class ProxyToServerInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext px;

    ProxyToServerInitializer(ProxyContext px) {
        this.px = px;
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast(
                        "idle",
                        new IdleStateHandler(0, 0, px.settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS))
                .addLast("http", new HttpClientCodec(px.clientDecoder(), false, false))
                .addLast("relay", new ServerToProxyHandler(px));
    }
}
