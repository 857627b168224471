package dev.farm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.testkit.fixture.FixtureProcess;
import dev.farm.testkit.fixture.OllamaStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * examples/fullstack run by the real farm.jar ({@code farm dev}) on a copy of the example, with farm-testkit's
 * OllamaStub adopted as its Ollama, looked at through headless Chromium at the proxy's one port: what the page shows
 * first, then a streamed AI answer, then HMR, then a model change and a crash of the backend. One stack for the class;
 * the tests that restart the backend come last.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullstackE2E {

    static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    static final List<String> TOKENS =
            List.of("Hello", " from", " the", " local", " model", ",", " token", " by", " token.");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path temp;

    static OllamaStub ollama;
    static FullstackProject project;
    static FarmProcess farm;
    static Browser browser;

    @BeforeAll
    static void startTheStack() throws IOException {
        FullstackProject.requirePrerequisites();
        ollama = OllamaStub.builder()
                .port(FixtureProcess.freePort())
                .model("llama3.1", 4_700_000_000L)
                .tokens(TOKENS.toArray(String[]::new))
                .tokenDelay(Duration.ofMillis(150))
                .build()
                .start();
        long began = System.nanoTime();
        project = FullstackProject.copy(temp, ollama.port());
        System.out.printf(
                "FullstackE2E: copied examples/fullstack in %d ms (node_modules hard-linked in %d ms)%n",
                Duration.ofNanos(System.nanoTime() - began).toMillis(), project.linkTime.toMillis());
        began = System.nanoTime();
        farm = FarmProcess.start(project.dir, "dev", "--port", Integer.toString(project.ports.get("proxy")));
        farm.awaitReady(Duration.ofSeconds(90));
        System.out.printf(
                "FullstackE2E: farm dev ready in %d ms%n",
                Duration.ofNanos(System.nanoTime() - began).toMillis());
        assertThat(farm.output()).contains("ollama ready").contains("adopted");
        browser = Browser.start(temp.resolve("chromium"));
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        try (OllamaStub stub = ollama;
                FarmProcess stack = farm;
                Browser chromium = browser) {
            if (stack != null && stack.process().isAlive()) {
                // for whoever reads a failure: the whole run's output, beside the screenshots, not on the console
                java.nio.file.Files.writeString(
                        java.nio.file.Path.of("target", "fullstack-e2e-farm.log"), stack.output());
            }
        }
    }

    @Test
    @Order(1)
    void thePageAtTheProxyShowsTheItemsReadFromPostgres() throws Exception {
        project.psql("INSERT INTO items (name) VALUES ('Seeds, from psql'), ('Harvest plan, from psql')");
        HttpResponse<String> created = post("/api/items", "{\"name\": \"Tractor, from the API\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        browser.open(project.proxyUrl() + "/");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(itemNames())
                        .containsExactly("Seeds, from psql", "Harvest plan, from psql", "Tractor, from the API"));
        assertThat(browser.text("[data-testid=title]")).isEqualTo("FARM stack");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(browser.find("[data-testid=live]").getAttribute("data-connects"))
                                .isEqualTo("1"));
    }

    @Test
    @Order(2)
    void theAiAnswerStreamsTokenByTokenThroughTheApiAndThroughOllamasRoute() throws Exception {
        String full = String.join("", TOKENS);
        for (String route : List.of("api", "ollama")) {
            new Select(browser.find("[data-testid=route]")).selectByValue(route);
            browser.find("[data-testid=ask]").click();

            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        String text = browser.text("[data-testid=answer]");
                        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
                            seen.add(text);
                        }
                        return "done"
                                        .equals(browser.find("[data-testid=answer]")
                                                .getAttribute("data-status"))
                                || text.startsWith("failed");
                    });

            assertThat(browser.text("[data-testid=answer]")).as("via %s", route).isEqualTo(full);
            List<String> partial = seen.stream()
                    .filter(text -> !text.isEmpty() && !text.equals(full))
                    .toList();
            assertThat(partial)
                    .as("via %s: the answer grew token by token before it was whole; seen: %s", route, seen)
                    .hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(text -> assertThat(full).startsWith(text));
        }
        assertThat(ollama.requests()).filteredOn("POST /api/generate"::equals).hasSize(2);
        browser.screenshot(SCREENSHOTS.resolve("fullstack-page.png"));
    }

    @Test
    @Order(3)
    void editingAComponentUpdatesThePageThroughTheProxyWithoutAReload() {
        browser.script("window.__marker = 1;");

        project.write(
                "apps/web/src/Title.tsx",
                project.read("apps/web/src/Title.tsx").replace(">FARM stack<", ">FARM stack, hot-reloaded<"));

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(browser.text("[data-testid=title]")).isEqualTo("FARM stack, hot-reloaded"));
        assertThat(browser.script("return window.__marker;"))
                .as("no full reload")
                .isEqualTo(1L);
        List<String> console = browser.console();
        assertThat(console).anyMatch(line -> line.contains("[vite] connected."));
        assertThat(console).anyMatch(line -> line.contains("[vite]") && line.contains("hot updated: /src/Title.tsx"));
        assertThat(console)
                .noneMatch(line -> line.contains("[vite] failed to connect to websocket"))
                .noneMatch(line -> line.contains("[vite] Direct websocket connection fallback"));
    }

    @Test
    @Order(4)
    void aNewModelFieldReachesTheTypesTheApiAndThePageWhileNoFetchFails() throws Exception {
        int connects = Integer.parseInt(browser.find("[data-testid=live]").getAttribute("data-connects"));
        startFetchLoop();
        String models = project.read("apps/api/models.py");
        String edited = models.replace("    id: int\n", "    id: int\n    priority: int = 3\n");
        assertThat(edited).isNotEqualTo(models);

        long saved = System.nanoTime();
        project.write("apps/api/models.py", edited);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> project.read("apps/web/src/api/generated.ts").contains("priority"));
        Duration saveToTypes = Duration.ofNanos(System.nanoTime() - saved);
        System.out.printf("FullstackE2E: save -> types: %d ms%n", saveToTypes.toMillis());

        assertThat(project.read("apps/web/src/api/generated.ts")).contains("priority?: number;");
        assertThat(saveToTypes).as("save -> generated.ts").isLessThanOrEqualTo(Duration.ofSeconds(3));
        Command.Result tsc = project.typecheck();
        assertThat(tsc.code()).as("tsc --noEmit:\n%s", tsc.output()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(get("/api/items").body()).contains("\"priority\":3"));

        assertNoFetchFailed("the restart after the model change");

        // The page's /ws client reconnected to the new backend, and a broadcast reaches it.
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(Integer.parseInt(
                                browser.find("[data-testid=live]").getAttribute("data-connects")))
                        .isGreaterThan(connects));
        HttpResponse<String> created = post("/api/items", "{\"name\": \"Broadcast after the restart\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(itemNames()).contains("Broadcast after the restart"));
    }

    @Test
    @Order(5)
    void aKilledBackendIsRestartedAndNoFetchFails() throws Exception {
        long pid = FarmProcess.pid(project.dir, "api").orElseThrow();
        int restarts = FarmProcess.service(project.dir, "api").get("restarts").asInt();
        startFetchLoop();
        await().atMost(Duration.ofSeconds(10)) // the old process answers some, then dies mid-loop
                .until(() -> ((Number) browser.script("return window.__fetchLoop.ok;")).intValue() >= 10);

        Command.Result kill = Command.run(project.dir, Duration.ofSeconds(10), "kill", "-9", Long.toString(pid));
        assertThat(kill.code()).as(kill.output()).isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode api = FarmProcess.service(project.dir, "api");
            assertThat(api.get("state").asText()).isEqualTo("ready");
            assertThat(api.get("restarts").asInt()).isGreaterThan(restarts);
            assertThat(api.get("pid").asLong()).isNotEqualTo(pid);
        });
        assertNoFetchFailed("the crash and the restart");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static List<String> itemNames() {
        return browser.findAll("[data-testid=items] li span").stream()
                .map(element -> element.getText())
                .toList();
    }

    /**
     * Starts, in the page, 100 fetches of /api/items one after another with 30 ms between them (about 4 s in all,
     * enough to span a backend restart), counting failures and which uvicorn process answered each.
     */
    private static void startFetchLoop() {
        browser.script("""
                const pause = arguments[0];
                const loop = { done: false, ok: 0, failures: [], servedBy: {}, slowestMs: 0 };
                window.__fetchLoop = loop;
                (async () => {
                  for (let i = 0; i < 100; i++) {
                    const began = performance.now();
                    try {
                      const response = await fetch('/api/items', { cache: 'no-store' });
                      const body = await response.text();
                      if (response.ok) {
                        loop.ok++;
                        const by = response.headers.get('x-served-by');
                        loop.servedBy[by] = (loop.servedBy[by] || 0) + 1;
                      } else {
                        loop.failures.push(i + ': HTTP ' + response.status + ' ' + body.slice(0, 300));
                      }
                    } catch (e) {
                      loop.failures.push(i + ': ' + e);
                    }
                    loop.slowestMs = Math.max(loop.slowestMs, performance.now() - began);
                    await new Promise((resolve) => setTimeout(resolve, pause));
                  }
                  loop.done = true;
                })();
                """, 30);
    }

    /** Waits for the fetch loop's end: no fetch failed, and they were answered by two uvicorn processes. */
    private static void assertNoFetchFailed(String during) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Boolean.TRUE.equals(browser.script("return window.__fetchLoop.done;")));
        Map<?, ?> loop = (Map<?, ?>) browser.script("return window.__fetchLoop;");
        System.out.printf("FullstackE2E: 100 fetches during %s: %s%n", during, loop);
        assertThat((List<?>) loop.get("failures"))
                .as("failed fetches during %s", during)
                .isEmpty();
        assertThat(((Number) loop.get("ok")).intValue()).isEqualTo(100);
        assertThat(((Map<?, ?>) loop.get("servedBy")).keySet())
                .as("the fetches spanned %s: two uvicorn processes answered them (%s)", during, loop)
                .hasSizeGreaterThanOrEqualTo(2);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(project.proxyUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(project.proxyUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
