package dev.farm.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Which Netty transport the proxy runs on: epoll on Linux, kqueue on macOS, when their native parts load; else NIO. */
record Transport(
        String name,
        Supplier<IoHandlerFactory> handlers,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> socketChannel) {

    static Transport pick(boolean preferNative) {
        if (preferNative) {
            try {
                if (Epoll.isAvailable()) {
                    return new Transport(
                            "epoll",
                            EpollIoHandler::newFactory,
                            EpollServerSocketChannel.class,
                            EpollSocketChannel.class);
                }
            } catch (LinkageError absent) {
                // netty-transport-classes-epoll left out by the embedder: NIO it is
            }
            try {
                if (KQueue.isAvailable()) {
                    return new Transport(
                            "kqueue",
                            KQueueIoHandler::newFactory,
                            KQueueServerSocketChannel.class,
                            KQueueSocketChannel.class);
                }
            } catch (LinkageError absent) {
                // netty-transport-classes-kqueue left out by the embedder
            }
        }
        return new Transport("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);
    }

    MultiThreadIoEventLoopGroup group(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new FastThreadLocalThread(runnable, "farm-proxy-io-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new MultiThreadIoEventLoopGroup(threads, factory, handlers.get());
    }
}
