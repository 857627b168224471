package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** farm dev's proxy in front of real child processes: routes by service name, and no error during a restart. */
@Timeout(120)
class DevServerProxyIT {

    @TempDir
    Path project;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String command(FixtureProcess.Builder fixture) {
        return fixture.command().stream().map(arg -> "'" + arg + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private FarmConfig config(int apiPort, Duration readyAfter) throws IOException {
        Files.writeString(
                project.resolve("farm.yaml"),
                "services:\n"
                        + "  api:\n    command: "
                        + command(FixtureProcess.builder().listen(apiPort, readyAfter))
                        + "\n    port: " + apiPort + "\n    ready: { http: /health }\n"
                        + "proxy:\n  port: auto\n  routes:\n    /api: api\n");
        return ConfigSource.directory(project).load();
    }

    @Test
    void requestsAcrossARestartAllSucceedAndTheSummaryNamesTheProxyFirst() throws Exception {
        int apiPort = FixtureProcess.freePort();
        StringWriter terminal = new StringWriter();
        // each new incarnation takes 1 s to listen: the restart leaves a real gap
        try (DevServer stack = DevServer.builder(config(apiPort, Duration.ofSeconds(1)))
                .output(new PrintWriter(terminal, true), false)
                .watch(false)
                .build()) {
            stack.start();
            int port = stack.proxyPort().orElseThrow();
            assertThat(terminal.toString()).contains("open http://127.0.0.1:" + port + "  (/api → api)");
            assertThat(terminal.toString().indexOf("open http://"))
                    .isLessThan(terminal.toString().indexOf("all 1 service ready"));

            List<CompletableFuture<Integer>> results = new ArrayList<>();
            long start = System.nanoTime();
            CompletableFuture<Void> restarted = null;
            for (int i = 0; i < 100; i++) {
                results.add(http.sendAsync(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items"))
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .handle((response, error) -> error != null ? -1 : response.statusCode()));
                if (i == 20) {
                    restarted = stack.restart("api");
                }
                // spread the requests over the restart: a request every 25 ms
                long next = start + TimeUnit.MILLISECONDS.toNanos(25L * (i + 1));
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
            Map<Integer, Integer> counts = new TreeMap<>();
            for (CompletableFuture<Integer> result : results) {
                counts.merge(result.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            restarted.get(30, TimeUnit.SECONDS);

            assertThat(counts).isEqualTo(Map.of(200, 100));
        }
    }

    @Test
    void noProxyLeavesItOff() throws Exception {
        int apiPort = FixtureProcess.freePort();
        try (DevServer stack = DevServer.builder(config(apiPort, Duration.ZERO))
                .watch(false)
                .proxy(false)
                .build()) {
            stack.start();
            assertThat(stack.proxyPort()).isEmpty();
        }
    }
}
