package dev.farm.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Real upstream servers for the proxy's tests, on 127.0.0.1 and an ephemeral port (or a given one). */
public final class Backends {

    private Backends() {}

    /** A JDK HTTP server; {@code /echo} answers with what it received. */
    public static final class Jdk implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        public final AtomicInteger requests = new AtomicInteger();

        public Jdk(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
            executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-backend");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            handle("/", exchange -> {
                requests.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                respond(exchange, 200, "text/plain", exchange.getRequestURI().toString());
            });
            handle("/echo", exchange -> {
                requests.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                StringBuilder text = new StringBuilder();
                text.append(exchange.getRequestMethod())
                        .append(' ')
                        .append(exchange.getRequestURI())
                        .append('\n');
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(exchange.getRequestHeaders());
                headers.forEach((name, values) -> text.append(name.toLowerCase(java.util.Locale.ROOT))
                        .append(": ")
                        .append(String.join(",", values))
                        .append('\n'));
                text.append('\n').append(new String(body, StandardCharsets.UTF_8));
                respond(exchange, 200, "text/plain", text.toString());
            });
            server.start();
        }

        public Jdk() throws IOException {
            this(0);
        }

        public Jdk handle(String path, HttpHandler handler) {
            try {
                server.removeContext(path);
            } catch (IllegalArgumentException none) {
                // first handler for this path
            }
            server.createContext(path, handler);
            return this;
        }

        public int port() {
            return server.getAddress().getPort();
        }

        public String url() {
            return "http://127.0.0.1:" + port();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    public static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
