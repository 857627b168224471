package dev.farm.process.internal;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Passes once a TCP connection to 127.0.0.1 or ::1 on the port succeeds. A connection the kernel made to itself (TCP
 * simultaneous open: with nothing listening, a client whose ephemeral port happens to be the target port connects to
 * itself) does not count: it would call a service ready that does not listen yet, and keep it from binding the port.
 */
public final class TcpProbe implements HealthProbe {

    private final int port;
    private final int timeoutMillis;

    /**
     * Creates the probe.
     *
     * @param port the port
     * @param attemptTimeout the longest one connection attempt may take
     */
    public TcpProbe(int port, Duration attemptTimeout) {
        this.port = Loopback.checkPort(port);
        this.timeoutMillis = (int) Math.max(1, attemptTimeout.toMillis());
    }

    @Override
    public ProbeResult check() {
        String failure = "";
        boolean refused = true;
        for (InetAddress address : Loopback.ADDRESSES) {
            try (Socket socket = unlike(address, port)) {
                socket.connect(new InetSocketAddress(address, port), timeoutMillis);
                ProbeResult result = connected(socket, port);
                if (result.passed()) {
                    return result;
                }
                failure = failure.isEmpty() ? result.detail() : failure;
            } catch (IOException e) {
                if (failure.isEmpty()) {
                    failure = Loopback.describe(e);
                }
                refused &= e instanceof java.net.ConnectException;
            }
        }
        return refused ? ProbeResult.notListening(failure) : ProbeResult.fail(failure);
    }

    /**
     * A client socket bound to an ephemeral port other than the target port. Left to connect(), the kernel may give the
     * socket the target port itself; the connection then reaches only itself and, while it lasts, holds the port the
     * service is about to bind, which then fails to start.
     *
     * @param address the loopback address to connect from and to
     * @param port the target port
     * @return the bound, unconnected socket
     * @throws IOException when no socket can be bound
     */
    static Socket unlike(InetAddress address, int port) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Socket socket = new Socket();
            try {
                socket.bind(new InetSocketAddress(address, 0));
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            if (socket.getLocalPort() != port || attempt == 3) {
                return socket; // after 4 draws of the target port, connected() still tells a self-connection
            }
            socket.close();
        }
    }

    /**
     * Judges a connection that succeeded: a pass, unless the socket is connected to itself.
     *
     * @param socket the connected socket
     * @param port the port it was to reach
     * @return a pass, or "not listening" for a self-connection
     */
    static ProbeResult connected(Socket socket, int port) {
        if (socket.getLocalPort() == port && socket.getLocalAddress().equals(socket.getInetAddress())) {
            return ProbeResult.notListening("connection refused (the connection reached only itself)");
        }
        return ProbeResult.pass();
    }

    @Override
    public String description() {
        return "a TCP connection to 127.0.0.1:" + port + " should succeed";
    }

    @Override
    public String toString() {
        return "tcp:" + port;
    }
}
