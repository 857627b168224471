import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The hello stack's frontend: serves index.html and forwards /api/* to the backend at API_URL, the way a Vite dev
 * server's proxy does. Run with {@code java Web.java}.
 */
public class Web {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "7080"));
        URI api = URI.create(System.getenv().getOrDefault("API_URL", "http://127.0.0.1:7081"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/api/", exchange -> forward(client, api, exchange));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/") && !path.equals("/index.html")) {
                send(exchange, 404, "text/plain", "not found\n".getBytes());
                return;
            }
            send(exchange, 200, "text/html; charset=utf-8", Files.readAllBytes(Path.of("index.html")));
        });
        server.start();
        System.out.println("web serving http://127.0.0.1:" + port + " (API at " + api + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            System.out.println("web stopped");
        }));
    }

    static void forward(HttpClient client, URI api, HttpExchange exchange) throws IOException {
        URI target = api.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        try {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
            send(exchange, response.statusCode(), type, response.body());
        } catch (IOException | InterruptedException e) {
            System.err.println("cannot reach the API at " + target + ": " + e);
            send(exchange, 502, "application/json", "{\"error\":\"api unreachable\"}".getBytes());
        }
    }

    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
