package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.testing.Backends;
import dev.farm.proxy.testing.RawClient;
import dev.farm.proxy.testing.RawServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client sees when something goes wrong: an answer with a body that says why, or a close; never a hang. */
class ErrorsIT {

    private Backends.Jdk ok;
    private ProxyServer proxy;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        ok = new Backends.Jdk();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        ok.close();
    }

    private void proxy(Duration responseTimeout, Route... routes) {
        List<Route> all = new java.util.ArrayList<>(List.of(routes));
        all.add(new Route("/ok", ok.url()));
        proxy = ProxyServer.builder()
                .responseTimeout(responseTimeout)
                .routes(all)
                .build()
                .start();
    }

    @Test
    void aRefusedConnectionIsA502WithAJsonBody() throws Exception {
        proxy(Duration.ofSeconds(5), new Route("/", "http://127.0.0.1:" + closedPort));
        try (RawClient client = new RawClient(proxy.port())) {
            RawClient.Response response = client.get("/x");

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.header("content-type")).startsWith("application/json");
            assertThat(response.text())
                    .isEqualTo("{\"error\":\"upstream_unavailable\",\"service\":\"http://127.0.0.1:" + closedPort
                            + "\",\"reason\":\"connection refused (127.0.0.1:" + closedPort + ")\"}\n");
            assertThat(client.get("/ok").status())
                    .as("the connection stays usable")
                    .isEqualTo(200);
        }
    }

    @Test
    void aBrowserGetsAPageThatReloadsItself() throws Exception {
        proxy(Duration.ofSeconds(5), new Route("/", "http://127.0.0.1:" + closedPort));
        try (RawClient client = new RawClient(proxy.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html,application/xhtml+xml\r\n\r\n");
            RawClient.Response response = client.read(false);

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.header("content-type")).startsWith("text/html");
            assertThat(response.text()).contains("connection refused").contains("http-equiv=\"refresh\"");
        }
    }

    @Test
    void aServiceThatIsDownIsA502NamingWhy() throws Exception {
        proxy(Duration.ofSeconds(5), new Route("/api", "api"));
        proxy.upstream("api", new InetSocketAddress("127.0.0.1", closedPort), UpstreamState.DOWN, "exited with code 1");
        try (RawClient client = new RawClient(proxy.port())) {
            RawClient.Response response = client.get("/api/x");

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text())
                    .isEqualTo("{\"error\":\"upstream_down\",\"service\":\"api\","
                            + "\"reason\":\"api is not running: exited with code 1\"}\n");
        }
    }

    @Test
    void noResponseHeadersInTimeIsA504() throws Exception {
        try (RawServer silent = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            socket.getInputStream().read(); // never answers
        })) {
            proxy(Duration.ofMillis(300), new Route("/", silent.url()));
            try (RawClient client = new RawClient(proxy.port())) {
                long start = System.nanoTime();
                RawClient.Response response = client.get("/slow");

                assertThat(response.status()).isEqualTo(504);
                assertThat(response.text())
                        .contains("\"error\":\"upstream_timeout\"")
                        .contains("within 300 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(client.get("/ok").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aResetBeforeAnyResponseIsA502() throws Exception {
        try (RawServer resetting = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            socket.setSoLinger(true, 0); // RST
        })) {
            proxy(Duration.ofSeconds(5), new Route("/", resetting.url()));
            try (RawClient client = new RawClient(proxy.port())) {
                RawClient.Response response = client.get("/x");

                assertThat(response.status()).isEqualTo(502);
                assertThat(response.text()).contains("\"error\":\"upstream_unavailable\"");
            }
        }
    }

    @Test
    void aGarbledResponseIsA502() throws Exception {
        try (RawServer garbling = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            RawServer.write(socket, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        })) {
            proxy(Duration.ofSeconds(5), new Route("/", garbling.url()));
            try (RawClient client = new RawClient(proxy.port())) {
                RawClient.Response response = client.get("/x");

                assertThat(response.status()).isEqualTo(502);
            }
        }
    }

    @Test
    void aReusedConnectionThatDiesBeforeAnsweringIsRetriedOnce() throws Exception {
        try (RawServer flaky = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            RawServer.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn" + n);
            RawServer.readRequest(socket.getInputStream());
            // the keep-alive race: the server had decided to close this idle connection as the request came in
        })) {
            proxy(Duration.ofSeconds(5), new Route("/", flaky.url()));
            try (RawClient client = new RawClient(proxy.port())) {
                assertThat(client.get("/a").text()).isEqualTo("conn1");
                assertThat(client.get("/b").text()).isEqualTo("conn2");
            }
            assertThat(flaky.connections).hasValue(2);
        }
    }

    @Test
    void malformedRequestsAre400AndTheProxyKeepsServing() throws Exception {
        proxy(Duration.ofSeconds(5));
        for (String garbage : List.of(
                "GARBAGE\r\n\r\n",
                "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
                "GET /ok HTTP/1.1\r\nBad Header Line\r\n\r\n")) {
            try (RawClient client = new RawClient(proxy.port())) {
                client.send(garbage);
                RawClient.Response response = client.read(false);

                assertThat(response.status()).as(garbage).isEqualTo(400);
                assertThat(response.text()).contains("\"error\":\"bad_request\"");
                assertThat(client.closedByPeer()).isTrue();
            }
        }
        try (RawClient client = new RawClient(proxy.port())) {
            assertThat(client.get("/ok").status()).isEqualTo(200);
        }
    }

    @Test
    void headersOver16KiBAre431AndUnder16KiBPass() throws Exception {
        proxy(Duration.ofSeconds(5));
        try (RawClient client = new RawClient(proxy.port())) {
            client.send("GET /ok HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(12_000) + "\r\n\r\n");
            assertThat(client.read(false).status())
                    .as("12 KB of cookies, over Netty's default 8 KiB")
                    .isEqualTo(200);
        }
        try (RawClient client = new RawClient(proxy.port())) {
            client.send("GET /ok HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(20_000) + "\r\n\r\n");
            RawClient.Response response = client.read(false);

            assertThat(response.status()).isEqualTo(431);
            assertThat(response.text()).contains("larger than 16384 bytes");
        }
        try (RawClient client = new RawClient(proxy.port())) {
            assertThat(client.get("/ok").status()).isEqualTo(200);
        }
    }
}
