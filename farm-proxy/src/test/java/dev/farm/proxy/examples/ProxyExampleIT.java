package dev.farm.proxy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.farm.proxy.ProxyServer;
import dev.farm.proxy.Route;
import dev.farm.proxy.UpstreamState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The farm-proxy README's example. */
class ProxyExampleIT {

    @Test
    void onePortForTheStackAndARestartNobodySees() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            byte[] body = ("api saw " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        try (ProxyServer proxy = ProxyServer.builder()
                .port(0) // 4000 in farm.yaml; 0 picks a free port
                .routes(List.of(new Route("/api", "api").withRewrite("/"), new Route("/", "http://127.0.0.1:5173")))
                .build()
                .start()) {
            InetSocketAddress address =
                    new InetSocketAddress("127.0.0.1", api.getAddress().getPort());
            proxy.upstream("api", address, UpstreamState.UP, "ready");
            URI items = URI.create("http://127.0.0.1:" + proxy.port() + "/api/items?page=2");

            assertThat(http.send(HttpRequest.newBuilder(items).build(), HttpResponse.BodyHandlers.ofString())
                            .body())
                    .isEqualTo("api saw /items?page=2");

            // farm-cli does this from supervisor events: while api restarts, requests wait instead of failing
            proxy.upstream("api", UpstreamState.RESTARTING, "restarting: main.py changed");
            CompletableFuture<HttpResponse<String>> waiting =
                    http.sendAsync(HttpRequest.newBuilder(items).build(), HttpResponse.BodyHandlers.ofString());
            proxy.upstream("api", UpstreamState.UP, "ready");

            assertThat(waiting.get().statusCode()).isEqualTo(200);
        } finally {
            api.stop(0);
        }
    }
}
