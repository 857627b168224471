package dev.farm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.proxy.testing.Backends;
import dev.farm.proxy.testing.RawClient;
import dev.farm.proxy.testing.RawServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams through the proxy: SSE and NDJSON flushed as they come, aborts passed on both ways. */
class StreamingIT {

    private ProxyServer proxy;

    private ProxyServer proxyTo(String url) {
        proxy = ProxyServer.builder()
                .routes(List.of(new Route("/", url)))
                .build()
                .start();
        return proxy;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void eachSseEventReachesTheClientAsItsOwnReadBeforeTheNextIsWritten() throws Exception {
        int events = 20;
        ConcurrentLinkedQueue<Long> flushedAt = new ConcurrentLinkedQueue<>();
        try (RawServer upstream = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            socket.setTcpNoDelay(true);
            RawServer.write(
                    socket,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                            + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < events; i++) {
                // 25 ms apart: a proxy that buffered or batched would merge them into one read
                TimeUnit.MILLISECONDS.sleep(25);
                flushedAt.add(System.nanoTime());
                RawServer.write(socket, RawServer.chunk("id: " + i + "\ndata: {\"token\":\"t" + i + "\"}\n\n"));
            }
            RawServer.write(socket, "0\r\n\r\n");
        })) {
            proxyTo(upstream.url());
            try (RawClient client = new RawClient(proxy.port())) {
                client.send("GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
                client.line(); // status
                for (String line = client.line(); !line.isEmpty(); line = client.line()) {
                    // headers
                }
                InputStream in = client.in();
                byte[] buffer = new byte[65536];
                List<String> reads = new ArrayList<>();
                List<Long> readAt = new ArrayList<>();
                while (reads.size() < events) {
                    int n = in.read(buffer);
                    assertThat(n).isPositive();
                    readAt.add(System.nanoTime());
                    reads.add(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }

                Iterator<Long> flushed = flushedAt.iterator();
                for (int i = 0; i < events; i++) {
                    assertThat(reads.get(i)).as("read %d", i).contains("id: " + i + "\n");
                    assertThat(reads.get(i).split("data: ", -1))
                            .as("one event per read")
                            .hasSize(2);
                    long lagMillis = TimeUnit.NANOSECONDS.toMillis(readAt.get(i) - flushed.next());
                    // A proxy that held an event until more bytes came would deliver it no sooner than the next one,
                    // 25 ms later. Not a latency budget: the first event also pays for class loading and JIT.
                    assertThat(lagMillis).as("event %d lag", i).isLessThan(25);
                }
            }
        }
    }

    @Test
    void ndjsonLinesArriveOneByOne() throws Exception {
        // the upstream writes line k+1 only once the client has line k: any buffering in the proxy deadlocks this
        int lines = 50;
        BlockingQueue<Integer> received = new ArrayBlockingQueue<>(lines);
        try (Backends.Jdk upstream = new Backends.Jdk()) {
            upstream.handle("/api/generate", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < lines; i++) {
                        out.write(("{\"response\":\"w" + i + "\",\"done\":" + (i == lines - 1) + "}\n")
                                .getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        Integer got = received.poll(10, TimeUnit.SECONDS);
                        if (got == null || got != i) {
                            throw new IllegalStateException("client did not get line " + i);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            proxyTo(upstream.url());

            HttpResponse<Stream<String>> response = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/api/generate"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            List<String> got = new ArrayList<>();
            response.body().forEach(line -> {
                received.add(got.size());
                got.add(line);
            });

            assertThat(got).hasSize(lines);
            assertThat(got.get(lines - 1)).isEqualTo("{\"response\":\"w49\",\"done\":true}");
        }
    }

    @Test
    void aClientAbortClosesTheUpstreamWithin100ms() throws Exception {
        CompletableFuture<Long> upstreamSawClose = new CompletableFuture<>();
        try (RawServer upstream = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            RawServer.write(
                    socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + RawServer.chunk("first\n"));
            int read = socket.getInputStream().read(); // a generation in progress: waits until the proxy hangs up
            upstreamSawClose.complete(read < 0 ? System.nanoTime() : -1L);
        })) {
            proxyTo(upstream.url());
            long closedAt;
            try (RawClient client = new RawClient(proxy.port())) {
                client.send("POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
                assertThat(client.line()).startsWith("HTTP/1.1 200");
                while (!client.line().startsWith("first")) {
                    // headers, chunk size
                }
                closedAt = System.nanoTime();
            }

            long seen = upstreamSawClose.get(5, TimeUnit.SECONDS);
            assertThat(seen).as("upstream read EOF").isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(seen - closedAt)).isLessThan(100);
        }
    }

    @Test
    void anUpstreamDeathMidStreamEndsTheClientConnectionWithoutACleanEnd() throws Exception {
        try (RawServer upstream = new RawServer((socket, n) -> {
            String request = RawServer.readRequest(socket.getInputStream());
            if (request.startsWith("GET /chunked")) {
                RawServer.write(
                        socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + RawServer.chunk("part"));
            } else {
                RawServer.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npart");
            }
            // and dies
        })) {
            proxyTo(upstream.url());
            for (String path : List.of("/chunked", "/sized")) {
                try (RawClient client = new RawClient(proxy.port())) {
                    RawClient.Response response = client.get(path);

                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.text()).startsWith("part");
                    assertThat(response.cleanEnd()).as(path + " ended cleanly").isFalse();
                }
            }
        }
    }

    @Test
    void aBodyEndedByCloseIsChunkedForTheClientWhoseConnectionStaysUsable() throws Exception {
        try (RawServer upstream = new RawServer((socket, n) -> {
            RawServer.readRequest(socket.getInputStream());
            RawServer.write(socket, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
        })) {
            proxyTo(upstream.url());
            try (RawClient client = new RawClient(proxy.port())) {
                RawClient.Response first = client.get("/a");
                RawClient.Response second = client.get("/b");

                assertThat(first.header("transfer-encoding")).isEqualTo("chunked");
                assertThat(first.text()).isEqualTo("until the end");
                assertThat(first.cleanEnd()).isTrue();
                assertThat(second.text()).isEqualTo("until the end");
            }
        }
    }
}
