package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.testing.Backends;
import dev.farm.proxy.testing.RawClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that arrive while a target restarts wait for it, and go through once it is back. */
@SuppressWarnings("FutureReturnValueIgnored") // the timeline's tasks are checked by what the requests see
class HoldIT {

    private ProxyServer proxy;
    private final ScheduledExecutorService timeline = Executors.newScheduledThreadPool(2);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        timeline.shutdownNow();
        if (proxy != null) {
            proxy.close();
        }
    }

    private static Backends.Jdk backend(int port) throws java.io.IOException {
        Backends.Jdk backend = new Backends.Jdk(port);
        backend.handle("/api", exchange -> Backends.respond(exchange, 200, "text/plain", "ok"));
        return backend;
    }

    /** 200 requests spread over 4 s, with the target away for 3 s in the middle; returns status counts. */
    private Map<Integer, Integer> fireAcrossARestart(Backends.Jdk[] current, int port, boolean tellTheProxy)
            throws Exception {
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            results.add(result);
            timeline.schedule(
                    () -> http.sendAsync(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + proxy.port() + "/api/items"))
                                            .timeout(Duration.ofSeconds(20))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, error) -> {
                                if (error != null) {
                                    result.complete(-1);
                                } else {
                                    result.complete(response.statusCode());
                                }
                            }),
                    i * 20L,
                    TimeUnit.MILLISECONDS);
        }
        timeline.schedule(
                () -> {
                    if (tellTheProxy) {
                        proxy.upstream("api", UpstreamState.RESTARTING, "restarting: src/main.py changed");
                    }
                    current[0].close();
                },
                500,
                TimeUnit.MILLISECONDS);
        timeline.schedule(
                () -> {
                    try {
                        current[0] = backend(port);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    if (tellTheProxy) {
                        proxy.upstream("api", UpstreamState.UP, "ready");
                    }
                },
                3500,
                TimeUnit.MILLISECONDS);
        Map<Integer, Integer> counts = new TreeMap<>();
        for (CompletableFuture<Integer> result : results) {
            counts.merge(result.get(30, TimeUnit.SECONDS), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void noRequestFailsAcrossA3sRestartTheProxyIsToldOf() throws Exception {
        assertThat(restartUnderTraffic(true)).isEqualTo(Map.of(200, 200));
    }

    @Test
    void noRequestFailsAcrossA3sRestartTheProxyIsNotToldOf() throws Exception {
        // refused while "up": taken as a restart, probed every 100-250 ms
        assertThat(restartUnderTraffic(false)).isEqualTo(Map.of(200, 200));
    }

    private Map<Integer, Integer> restartUnderTraffic(boolean tellTheProxy) throws Exception {
        Backends.Jdk[] current = {backend(0)};
        int port = current[0].port();
        proxy = ProxyServer.builder()
                .routes(List.of(new Route("/api", "api")))
                .build()
                .start();
        proxy.upstream("api", new InetSocketAddress("127.0.0.1", port), UpstreamState.UP, "ready");
        try {
            return fireAcrossARestart(current, port, tellTheProxy);
        } finally {
            current[0].close();
        }
    }

    @Test
    void pastTheHoldDeadlineItIsA503NamingTheServiceAndWhy() throws Exception {
        proxy = ProxyServer.builder()
                .routes(List.of(new Route("/api", "api").withHold(Duration.ofMillis(300))))
                .build()
                .start();
        proxy.upstream("api", new InetSocketAddress("127.0.0.1", 1), UpstreamState.RESTARTING, "restarting: crashed");
        try (RawClient client = new RawClient(proxy.port())) {
            long start = System.nanoTime();
            RawClient.Response response = client.get("/api/x");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("1");
            assertThat(response.text())
                    .contains("\"error\":\"upstream_not_ready\"")
                    .contains("\"service\":\"api\"")
                    .contains("api is still restarting (restarting: crashed) after waiting 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aTargetThatGoesDownWhileRequestsWaitAnswersThemWith502() throws Exception {
        proxy = ProxyServer.builder()
                .routes(List.of(new Route("/api", "api")))
                .build()
                .start();
        proxy.upstream("api", new InetSocketAddress("127.0.0.1", 1), UpstreamState.STARTING, "starting");
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/api/x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        timeline.schedule(
                () -> proxy.upstream("api", UpstreamState.DOWN, "failed: exited with code 3"),
                200,
                TimeUnit.MILLISECONDS);

        HttpResponse<String> response = waiting.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("api is not running: failed: exited with code 3");
    }

    @Test
    void aHeldUploadIsNotReadUntilTheTargetIsUp() throws Exception {
        try (Backends.Jdk backend = new Backends.Jdk()) {
            proxy = ProxyServer.builder()
                    .routes(List.of(new Route("/", "api")))
                    .build()
                    .start();
            proxy.upstream(
                    "api", new InetSocketAddress("127.0.0.1", backend.port()), UpstreamState.STARTING, "starting");
            byte[] body = new byte[8 * 1024 * 1024];
            java.util.Arrays.fill(body, (byte) 'b');
            CompletableFuture<HttpResponse<String>> upload = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/echo"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            timeline.schedule(() -> proxy.upstream("api", UpstreamState.UP, "ready"), 500, TimeUnit.MILLISECONDS);

            HttpResponse<String> response = upload.get(20, TimeUnit.SECONDS);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).endsWith("\n\n" + new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
