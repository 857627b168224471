package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import dev.farm.testkit.fixture.OllamaStub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ollama preset against an {@link OllamaStub} that already listens (so farm adopts it): models pulled when the
 * service is ready, a config change pulls the new ones, and the proxy streams a generation token by token; and without
 * ollama installed and nothing on its port, the stack runs without it.
 */
@Timeout(120)
class OllamaPullsIT {

    private static final long MB = 1_000_000L;

    @TempDir
    Path dir;

    private OllamaStub ollama;
    private DevServer server;
    private StackUnderTest stack;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    private void start(String farmYaml) throws IOException {
        stack = new StackUnderTest(dir);
        server = stack.start(farmYaml);
    }

    private String service(String models) {
        return "services:\n  ollama: { preset: ollama, port: " + ollama.port() + ", models: " + models + " }\n";
    }

    @Test
    void missingModelsArePulledWithProgressPresentOnesSkippedAndAFailureLeavesTheStackRunning() throws IOException {
        ollama = OllamaStub.builder()
                .model("llama3.1", 4_700 * MB)
                .available("qwen2.5:0.5b", 400 * MB)
                .failPull("mistral", "connection reset by peer")
                .pullChunks(20)
                .pullDelay(Duration.ofMillis(10))
                .build()
                .start();

        start(service("[llama3.1:latest, mistral, qwen2.5:0.5b]"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(stack.printed()).contains("ollama: pulled qwen2.5:0.5b in "));
        assertThat(ollama.pulls()).containsExactly("mistral", "qwen2.5:0.5b"); // one at a time, in config order
        String printed = stack.printed();
        assertThat(printed)
                .contains("ollama: pull of mistral failed: connection reset by peer")
                .contains("ollama: pulling qwen2.5:0.5b 0% 0.0/400.0 MB")
                .contains("ollama: pulling qwen2.5:0.5b 50% 200.0/400.0 MB")
                .contains("ollama: pulling qwen2.5:0.5b 100% 400.0/400.0 MB")
                .doesNotContain("pulling llama3.1");
        assertThat(printed.indexOf("pull of mistral failed")).isLessThan(printed.indexOf("pulling qwen2.5"));
        assertThat(ollama.models()).contains("qwen2.5:0.5b");
        assertThat(server.state("ollama")).isEqualTo(ServiceState.READY);
        assertThat(server.status("ollama").adopted()).isTrue();
    }

    @Test
    void addingAModelToTheConfigPullsItWithoutRestartingOllama() throws IOException {
        ollama = OllamaStub.builder()
                .model("llama3.1", 4_700 * MB)
                .available("phi3", 2_000 * MB)
                .build()
                .start();
        start(service("[llama3.1]"));
        assertThat(ollama.pulls()).isEmpty();

        Path file = dir.resolve("farm.yaml");
        Path temp = dir.resolve("farm.yaml.tmp~");
        Files.writeString(temp, service("[llama3.1, phi3]"));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(stack.printed()).contains("ollama: pulled phi3 in "));
        assertThat(ollama.pulls()).containsExactly("phi3");
        assertThat(stack.printed()).doesNotContain("restarting ollama");
        assertThat(server.state("ollama")).isEqualTo(ServiceState.READY);
    }

    @Test
    void theProxysOllamaRouteStreamsAGenerationTokenByToken() throws Exception {
        Duration gap = Duration.ofMillis(400);
        ollama = OllamaStub.builder()
                .model("llama3.1", 4_700 * MB)
                .tokens("The", " sky", " is", " blue")
                .tokenDelay(gap)
                .build()
                .start();
        start(service("[llama3.1]") + "proxy:\n  port: auto\n  routes:\n    /ollama: { to: ollama, rewrite: /api }\n");
        int port = server.proxyPort().orElseThrow();

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.io.InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ollama/generate"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"llama3.1\",\"prompt\":\"Why is the sky blue?\",\"stream\":true}"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        List<String> tokens = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                arrivals.add(System.nanoTime());
                JsonNode chunk = json.readTree(line);
                if (!chunk.path("done").asBoolean()) {
                    tokens.add(chunk.path("response").asText());
                }
            }
        }
        assertThat(tokens).containsExactly("The", " sky", " is", " blue");
        assertThat(ollama.requests()).contains("POST /api/generate");
        // each token came as the stub wrote it, not all at the end: the first three arrived at least a gap apart
        for (int i = 1; i < 4; i++) {
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1))).isGreaterThan(gap.dividedBy(2));
        }
    }

    @Test
    void withoutOllamaInstalledAndNothingOnItsPortTheStackRunsWithoutLocalAi() throws Exception {
        int port = FixtureProcess.freePort();
        start("""
                services:
                  ollama: { preset: ollama, command: farm-test-no-such-ollama serve, port: %d, models: [llama3.1] }
                  backend:
                    command: %s
                    ready: { log: backend up }
                    depends_on: { ollama: ready }
                proxy:
                  port: auto
                  routes:
                    /ollama: { to: ollama, rewrite: /api }
                """.formatted(port, DevCommandIT.yaml(FixtureProcess.builder().print("backend up"))));

        assertThat(stack.printed())
                .contains("farm    | ollama: 'farm-test-no-such-ollama' is not installed and nothing answers on"
                        + " 127.0.0.1:" + port + "; the stack runs without ollama, without local AI (backend starts"
                        + " without waiting for it). Install Ollama (https://ollama.com/download) or start the Ollama"
                        + " app, then run farm dev again.")
                .contains("starting 1 service from ")
                .doesNotContain("pulling");
        assertThat(server.state("backend")).isEqualTo(ServiceState.READY);
        assertThat(server.config().services()).containsOnlyKeys("backend");

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + server.proxyPort().orElseThrow() + "/ollama/tags"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("at once, not after the proxy's hold")
                .isEqualTo(502);
        assertThat(response.body())
                .contains("ollama is not running: 'farm-test-no-such-ollama' is not installed, and farm runs the"
                        + " stack without it");
    }
}
