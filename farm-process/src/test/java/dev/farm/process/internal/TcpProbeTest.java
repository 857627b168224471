package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.farm.process.spi.ProbeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aListeningPortPasses() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            assertThat(new TcpProbe(server.getLocalPort(), Duration.ofSeconds(1))
                            .check()
                            .passed())
                    .isTrue();
        }
    }

    @Test
    void aFreePortIsNotListening() throws IOException {
        int port = freePort();

        ProbeResult result = new TcpProbe(port, Duration.ofSeconds(1)).check();

        assertThat(result.passed()).isFalse();
        assertThat(result.listening()).isFalse();
    }

    @Test
    void aConnectionToItselfIsNotAServiceListening() throws IOException {
        int port = freePort();
        try (Socket socket = new Socket()) {
            // what the kernel does when a probe's ephemeral port is the target port: TCP simultaneous open
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            try {
                socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
            } catch (IOException e) {
                assumeTrue(false, "this system does not connect a socket to itself: " + e);
            }

            ProbeResult result = TcpProbe.connected(socket, port);

            assertThat(result.passed()).isFalse();
            assertThat(result.listening()).isFalse();
            assertThat(result.detail()).contains("reached only itself");
        }
    }

    @Test
    void theProbesSocketNeverHasTheTargetPort() throws IOException {
        for (int i = 0; i < 200; i++) {
            int port = freePort();
            try (Socket socket = TcpProbe.unlike(LOOPBACK, port)) {
                assertThat(socket.isBound()).isTrue();
                assertThat(socket.getLocalPort()).isNotEqualTo(port);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }
}
