package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.testing.Backends;
import dev.farm.proxy.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which target a request reaches, with which path and headers, against real JDK HTTP servers. */
class RoutingAndHeadersIT {

    private Backends.Jdk api;
    private Backends.Jdk web;
    private Backends.Jdk legacy;
    private ProxyServer proxy;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        api = new Backends.Jdk();
        web = new Backends.Jdk();
        legacy = new Backends.Jdk();
        api.handle(
                "/tag", exchange -> Backends.respond(exchange, 200, "text/plain", "api " + exchange.getRequestURI()));
        web.handle("/", exchange -> Backends.respond(exchange, 200, "text/plain", "web " + exchange.getRequestURI()));
        legacy.handle(
                "/", exchange -> Backends.respond(exchange, 200, "text/plain", "legacy " + exchange.getRequestURI()));
        proxy = ProxyServer.builder()
                .routes(List.of(
                        new Route("/api", "api").withRewrite("/tag"),
                        new Route("/api/v2", "api").withRewrite("/tag/v2"),
                        new Route("/ollama", "api").withRewrite("/tag/api").withHost(Route.HOST_TARGET),
                        new Route("/legacy", "http://localhost:" + legacy.port()).withRewrite("/"),
                        new Route("/echo", "api"),
                        new Route("/", "web")))
                .build()
                .start();
        proxy.upstream("api", new InetSocketAddress("127.0.0.1", api.port()), UpstreamState.UP, "ready");
        proxy.upstream("web", new InetSocketAddress("127.0.0.1", web.port()), UpstreamState.UP, "ready");
    }

    @AfterEach
    void stop() {
        proxy.close();
        api.close();
        web.close();
        legacy.close();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void prefixesMatchOnSegmentsLongestFirstAndRewrite() throws Exception {
        assertThat(get("/api")).isEqualTo("200 api /tag");
        assertThat(get("/api/users?id=7")).isEqualTo("200 api /tag/users?id=7");
        assertThat(get("/api/v2/items")).isEqualTo("200 api /tag/v2/items");
        assertThat(get("/api?x=1")).isEqualTo("200 api /tag?x=1");
        assertThat(get("/apiary")).isEqualTo("200 web /apiary");
        assertThat(get("/ollama/tags")).isEqualTo("200 api /tag/api/tags");
        assertThat(get("/legacy/page")).isEqualTo("200 legacy /page");
        assertThat(get("/legacy")).isEqualTo("200 legacy /");
        assertThat(get("/")).isEqualTo("200 web /");
        assertThat(get("/src/main.tsx?t=123")).isEqualTo("200 web /src/main.tsx?t=123");
    }

    @Test
    void routesAreReplacedAtRuntime() throws Exception {
        assertThat(get("/x")).isEqualTo("200 web /x");

        proxy.routes(RouteTable.of(List.of(new Route("/", "http://127.0.0.1:" + legacy.port()))));

        assertThat(get("/x")).isEqualTo("200 legacy /x");
    }

    @Test
    void noRouteIsA404NamingTheRoutes() throws Exception {
        proxy.routes(RouteTable.of(List.of(new Route("/api", "api"))));

        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/nowhere"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body())
                .contains("\"error\":\"no_route\"")
                .contains("/nowhere")
                .contains("/api");
    }

    @Test
    void hopByHopHeadersAreStrippedAndForwardedHeadersAdded() throws Exception {
        try (RawClient client = new RawClient(proxy.port())) {
            client.send("GET /echo/x HTTP/1.1\r\n"
                    + "Host: app.localhost:4000\r\n"
                    + "Connection: keep-alive, X-Secret-Hop\r\n"
                    + "X-Secret-Hop: must not pass\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "TE: trailers\r\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                    + "X-Forwarded-For: 10.0.0.9\r\n"
                    + "Accept-Encoding: gzip, br\r\n"
                    + "X-End-To-End: kept\r\n"
                    + "\r\n");
            RawClient.Response response = client.read(false);

            assertThat(response.status()).isEqualTo(200);
            String echoed = response.text();
            assertThat(echoed).startsWith("GET /echo/x\n");
            assertThat(echoed).contains("host: app.localhost:4000\n"); // Host kept by default
            assertThat(echoed).contains("x-end-to-end: kept\n");
            assertThat(echoed).contains("accept-encoding: gzip, br\n");
            assertThat(echoed)
                    .doesNotContain("x-secret-hop")
                    .doesNotContain("keep-alive:")
                    .doesNotContain("\nte:");
            assertThat(echoed).doesNotContain("proxy-authorization");
            assertThat(echoed).contains("x-forwarded-for: 10.0.0.9, 127.0.0.1\n");
            assertThat(echoed).contains("x-forwarded-proto: http\n");
            assertThat(echoed).contains("x-forwarded-host: app.localhost:4000\n");
            assertThat(echoed).contains("x-forwarded-port: " + proxy.port() + "\n");
            assertThat(echoed).contains("forwarded: for=127.0.0.1;host=\"app.localhost:4000\";proto=http\n");

            // the connection is still usable: keep-alive towards the client
            assertThat(client.get("/api").text()).isEqualTo("api /tag");
        }
    }

    @Test
    void hostIsRewrittenWhenTheRouteAsks() throws Exception {
        api.handle(
                "/tag/api/host",
                exchange -> Backends.respond(
                        exchange,
                        200,
                        "text/plain",
                        exchange.getRequestHeaders().getFirst("Host")));

        try (RawClient client = new RawClient(proxy.port())) {
            RawClient.Response response = client.get("/ollama/host");

            assertThat(response.text()).isEqualTo("127.0.0.1:" + api.port());
        }
    }

    @Test
    void compressedBodiesPassUntouched() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("hello compressed world".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] compressed = gz.toByteArray();
        api.handle("/gz", exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, compressed.length);
            try (var out = exchange.getResponseBody()) {
                out.write(compressed);
            }
        });
        proxy.routes(RouteTable.of(List.of(new Route("/", "api"))));

        try (RawClient client = new RawClient(proxy.port())) {
            client.send("GET /gz HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
            RawClient.Response response = client.read(false);

            assertThat(response.header("content-encoding")).isEqualTo("gzip");
            assertThat(response.body()).isEqualTo(compressed);
        }
    }

    @Test
    void headRequestsGetHeadersOnlyAndTheConnectionStaysInStep() throws Exception {
        api.handle("/tag/head", exchange -> {
            exchange.getResponseHeaders().set("Content-Length", "11");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        try (RawClient client = new RawClient(proxy.port())) {
            client.send("HEAD /api/head HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = client.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("11");

            assertThat(client.get("/api/y").text()).isEqualTo("api /tag/y");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient client = new RawClient(proxy.port())) {
            client.send("GET /api/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/3 HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(client.read(false).text()).isEqualTo("api /tag/1");
            assertThat(client.read(false).text()).isEqualTo("web /2");
            assertThat(client.read(false).text()).isEqualTo("api /tag/3");
        }
    }

    @Test
    void postBodiesArriveWhole() throws Exception {
        String body = "x".repeat(300_000);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("\n\n" + body);
    }

    @Test
    void upstreamConnectionsAreReused() throws Exception {
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<Object> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        api.handle("/conn", exchange -> {
            if (seen.add(exchange.getRemoteAddress())) {
                connections.incrementAndGet();
            }
            Backends.respond(exchange, 200, "text/plain", "ok");
        });
        proxy.routes(RouteTable.of(List.of(new Route("/", "api"))));

        try (RawClient client = new RawClient(proxy.port())) {
            for (int i = 0; i < 200; i++) {
                assertThat(client.get("/conn").status()).isEqualTo(200);
            }
        }

        assertThat(connections).hasValue(1);
    }
}
