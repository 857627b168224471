package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The startup summary against {@code src/test/resources/golden/startup-summary.txt}, colour off. Run with {@code
 * -Dfarm.golden.update=true} to rewrite the golden file after a deliberate change.
 */
class StartupSummaryTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/startup-summary.txt");

    @TempDir
    Path dir;

    @Test
    void aWholeStackFitsOneScreenProxyFirstThenEachServiceDocsAndOllama() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                name: shop
                services:
                  db:
                    command: postgres -D .farm/pg
                    ready: { tcp: 5432 }
                  api:
                    command: uvicorn src.main:app --reload --port ${port}
                    port: 8000
                    ready: { http: /health }
                    depends_on: { db: ready }
                  web:
                    command: npm run dev -- --port ${port} --strictPort
                    port: auto
                    ready: { http: / }
                  ollama:
                    preset: ollama
                    adopt: true
                  worker:
                    command: python -m worker
                  migrate:
                    command: alembic upgrade head
                proxy:
                  port: 4000
                  routes:
                    /api: api
                    /: web
                """);
        FarmConfig config = ConfigSource.directory(dir).load();
        Map<String, StartupSummary.Now> now = Map.of(
                "web", new StartupSummary.Now(OptionalInt.of(5173), false, false),
                "ollama", new StartupSummary.Now(OptionalInt.of(11434), false, true),
                "migrate", new StartupSummary.Now(OptionalInt.empty(), true, false));
        StringWriter text = new StringWriter();
        TerminalOutput output = new TerminalOutput(
                new PrintWriter(text, true),
                false,
                List.copyOf(config.services().keySet()),
                Map.of());

        StartupSummary.lines(
                        config,
                        OptionalInt.of(4000),
                        "/api → api, / → web",
                        now,
                        Duration.ofMillis(2400),
                        output::highlight)
                .forEach(output::farm);

        String actual = text.toString();
        if (Boolean.getBoolean("farm.golden.update")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("the startup summary; rerun with -Dfarm.golden.update=true after a deliberate change")
                .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
        assertThat(actual.lines()).hasSizeLessThanOrEqualTo(24).allMatch(line -> line.length() <= 80);
    }

    @Test
    void withoutAProxyTheServicesComeFirst() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api:
                    command: [gunicorn, -k, uvicorn.workers.UvicornWorker, main:app]
                    port: 8000
                """);
        FarmConfig config = ConfigSource.directory(dir).load();

        List<String> lines = StartupSummary.lines(
                config, OptionalInt.empty(), "", Map.of(), Duration.ofMillis(300), UnaryOperator.identity());

        assertThat(lines)
                .containsExactly(
                        "  api  http://127.0.0.1:8000  API docs http://127.0.0.1:8000/docs",
                        "all 1 service ready in 0.3s. Press Ctrl-C to stop.");
    }
}
