package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSockets through the proxy against a Netty echo server: bytes tunnelled, frames of any size. */
class WebSocketIT {

    private EventLoopGroup group;
    private Channel echo;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        echo = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65536))
                                .addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws")
                                        .checkStartsWith(true)
                                        .maxFramePayloadLength(4 * 1024 * 1024)
                                        .build()))
                                .addLast(new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        var unused = ctx.writeAndFlush(frame.retainedDuplicate(), ctx.voidPromise());
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        int port = ((InetSocketAddress) echo.localAddress()).getPort();
        proxy = ProxyServer.builder()
                .routes(List.of(new Route("/ws", "api"), new Route("/", "http://127.0.0.1:1")))
                .build()
                .start();
        proxy.upstream("api", new InetSocketAddress("127.0.0.1", port), UpstreamState.UP, "ready");
    }

    @AfterEach
    void stop() {
        proxy.close();
        echo.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Collects whole messages (the client may hand them over in parts). */
    private static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.write(bytes, 0, bytes.length);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }
    }

    @Test
    void framesOfOneByteAndOneMebibyteEchoThroughTheTunnel() throws Exception {
        Collector collector = new Collector();
        WebSocket ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws?token=abc"), collector)
                .get(10, TimeUnit.SECONDS);

        ws.sendText("x", true).get(10, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("x");

        byte[] big = new byte[1024 * 1024];
        new Random(7).nextBytes(big);
        ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(big);

        for (int i = 0; i < 100; i++) {
            ws.sendText("message " + i, true).get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(collector.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("message " + i);
        }

        CompletableFuture<WebSocket> closed = ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUpgradeToATargetThatIsDownGetsA502() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var failure = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/elsewhere"), new Collector())
                .handle((ws, error) -> error);

        Throwable error = failure.get(10, TimeUnit.SECONDS);

        assertThat(error).isNotNull();
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        assertThat(cause).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) cause)
                        .getResponse()
                        .statusCode())
                .isEqualTo(502);
    }
}
