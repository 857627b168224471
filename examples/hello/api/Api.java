import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The hello stack's backend: a JSON API on the JDK's HTTP server, run with {@code java Api.java}. */
public class Api {

    static final String OPENAPI = """
            {
              "openapi": "3.1.0",
              "info": { "title": "hello api", "version": "1.0.0" },
              "paths": {
                "/health": {
                  "get": {
                    "operationId": "health",
                    "responses": { "200": { "description": "The API is up.",
                      "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } } } }
                  }
                },
                "/api/greeting": {
                  "get": {
                    "operationId": "greeting",
                    "parameters": [ { "name": "name", "in": "query", "required": false, "schema": { "type": "string" } } ],
                    "responses": { "200": { "description": "A greeting.",
                      "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Greeting" } } } } }
                  }
                }
              },
              "components": {
                "schemas": {
                  "Health": { "type": "object", "required": ["status"],
                    "properties": { "status": { "type": "string", "enum": ["ok"] } } },
                  "Greeting": { "type": "object", "required": ["message", "servedBy", "time"],
                    "properties": { "message": { "type": "string" }, "servedBy": { "type": "string" },
                      "time": { "type": "string", "format": "date-time" } } }
                }
              }
            }
            """;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "7081"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/health", exchange -> json(exchange, 200, "{\"status\":\"ok\"}"));
        server.createContext("/openapi.json", exchange -> json(exchange, 200, OPENAPI));
        server.createContext("/api/greeting", exchange -> {
            String name = query(exchange, "name", "world");
            System.out.println("GET /api/greeting name=" + name);
            json(exchange, 200, "{\"message\":\"Hello, " + escape(name) + "!\",\"servedBy\":\"api\",\"time\":\""
                    + Instant.now() + "\"}");
        });
        server.createContext("/", exchange -> json(exchange, 404, "{\"error\":\"not found\"}"));
        server.start();
        System.out.println("api listening on http://127.0.0.1:" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            System.out.println("api stopped");
        }));
    }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String query(HttpExchange exchange, String key, String fallback) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(key)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return fallback;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
