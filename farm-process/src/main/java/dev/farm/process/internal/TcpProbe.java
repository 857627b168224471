package dev.farm.process.internal;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Passes once a TCP connection to 127.0.0.1 or ::1 on the port succeeds. */
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
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), timeoutMillis);
                return ProbeResult.pass();
            } catch (IOException e) {
                if (failure.isEmpty()) {
                    failure = Loopback.describe(e);
                }
                refused &= e instanceof java.net.ConnectException;
            }
        }
        return refused ? ProbeResult.notListening(failure) : ProbeResult.fail(failure);
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
