package dev.farm.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A backend stand-in for codegen tests: serves one file's bytes as JSON on every path, the way FastAPI serves
 * {@code /openapi.json}. With {@code --snapshot} it reads the file once at startup, so the document it serves changes
 * only when it is restarted (as an app computes its OpenAPI document at import time).
 */
public final class OpenApiFileServer {

    private OpenApiFileServer() {}

    /**
     * Returns the command that runs this server.
     *
     * @param port the port, or {@code ${port}}
     * @param file the file to serve
     * @param snapshot whether to read the file once at startup
     * @return the command line
     */
    static List<String> command(String port, Path file, boolean snapshot) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx32m",
                "-cp",
                classPath(),
                OpenApiFileServer.class.getName(),
                port,
                file.toString()));
        if (snapshot) {
            command.add("--snapshot");
        }
        return command;
    }

    /**
     * Serves the file.
     *
     * @param args the port, the file, and optionally {@code --snapshot}
     * @throws Exception when it cannot listen
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        byte[] snapshot = args.length > 2 && args[2].equals("--snapshot") ? Files.readAllBytes(file) : null;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", exchange -> {
            byte[] body;
            int status = 200;
            try {
                body = snapshot != null ? snapshot : Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                status = 404;
                body = "not found\n".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            }
        });
        server.start();
        System.out.println("serving " + file + " on " + server.getAddress().getPort());
        new CountDownLatch(1).await();
    }

    private static String classPath() {
        try {
            var source = Objects.requireNonNull(
                    OpenApiFileServer.class.getProtectionDomain().getCodeSource());
            return new File(source.getLocation().toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot locate the test classes", e));
        }
    }
}
