package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FarmPresetTest {

    private static final Path FILE = Path.of("shop", "farm.config.js");

    @Test
    void expandsAnEmptyConfigToFarmsDefaults() {
        Map<String, Object> tree = FarmPreset.expand(FILE, Map.of(), "shop");

        assertThat(tree)
                .isEqualTo(Map.of(
                        "name", "shop",
                        "services",
                                Map.of(
                                        "database",
                                        Map.of(
                                                "kind",
                                                "daemon",
                                                "start",
                                                "docker compose up -d mongodb",
                                                "stop",
                                                "docker compose stop mongodb",
                                                "port",
                                                27017,
                                                "ready",
                                                Map.of("tcp", 27017),
                                                "adopt",
                                                true),
                                        "backend",
                                        Map.of(
                                                "command", "uvicorn src.main:app --host 127.0.0.1 --port ${port}",
                                                "cwd", "apps/api",
                                                "port", 8000,
                                                "env", Map.of("FARM_ENV", "development", "PYTHONPATH", "."),
                                                "ready", Map.of("http", "/health"),
                                                "depends_on", Map.of("database", "ready"),
                                                "watch",
                                                        List.of(Map.of(
                                                                "paths", List.of("src/**/*.py"), "do", "restart"))),
                                        "frontend",
                                        Map.of(
                                                "command",
                                                "npm run dev -- --port ${port} --strictPort",
                                                "cwd",
                                                "apps/web",
                                                "port",
                                                3000,
                                                "ready",
                                                Map.of("http", "/"),
                                                "depends_on",
                                                Map.of("backend", "ready"),
                                                "watch",
                                                List.of(Map.of("paths", List.of("vite.config.ts"), "do", "restart")))),
                        "proxy",
                                Map.of(
                                        "port",
                                        4000,
                                        "routes",
                                        Map.of(
                                                "/api",
                                                "backend",
                                                "/ws",
                                                Map.of("to", "backend", "websocket", true),
                                                "/",
                                                "frontend")),
                        "codegen",
                                Map.of(
                                        "api-types",
                                        Map.of(
                                                "from", Map.of("service", "backend", "path", "/openapi.json"),
                                                "out", "apps/web/src/api/generated.ts",
                                                "on",
                                                        List.of(
                                                                "apps/api/src/models/**/*.py",
                                                                "apps/api/src/routes/**/*.py")))));
        assertThat(tree.keySet()).containsExactly("name", "services", "proxy", "codegen");
        assertThat(services(tree).keySet()).containsExactly("database", "backend", "frontend");
        assertThat(routes(tree).keySet()).containsExactly("/api", "/ws", "/");
        assertThat(service(tree, "backend").keySet())
                .containsExactly("command", "cwd", "port", "env", "ready", "depends_on", "watch");
    }

    @Test
    void addsOllamaWhenTheAiFeatureAndTheProviderAreOn() {
        Map<String, Object> farm = Map.of(
                "name", "chat",
                "features", List.of("auth", "ai"),
                "ai",
                        Map.of(
                                "providers",
                                Map.of(
                                        "ollama",
                                        Map.of(
                                                "enabled",
                                                true,
                                                "url",
                                                "http://localhost:11434",
                                                "models",
                                                List.of("llama3.1", "codestral"),
                                                "defaultModel",
                                                "llama3.1",
                                                "autoPull",
                                                List.of("llama3.1", "nomic-embed-text")))));

        Map<String, Object> tree = FarmPreset.expand(FILE, farm, "shop");

        assertThat(tree).containsEntry("name", "chat");
        assertThat(services(tree).keySet()).containsExactly("database", "ollama", "backend", "frontend");
        assertThat(service(tree, "ollama"))
                .isEqualTo(Map.of(
                        "preset",
                        "ollama",
                        "port",
                        11434,
                        "models",
                        List.of("llama3.1", "codestral", "nomic-embed-text"),
                        "adopt",
                        true));
        Map<String, Object> backend = service(tree, "backend");
        assertThat(backend)
                .containsEntry(
                        "env",
                        Map.of(
                                "FARM_ENV",
                                "development",
                                "PYTHONPATH",
                                ".",
                                "OLLAMA_URL",
                                "http://127.0.0.1:${services.ollama.port}"))
                .containsEntry("depends_on", Map.of("database", "ready", "ollama", "ready"));
        assertThat(map(backend.get("depends_on")).keySet()).containsExactly("database", "ollama");
        assertThat(routes(tree).keySet()).containsExactly("/api", "/ollama", "/ws", "/");
        assertThat(routes(tree)).containsEntry("/ollama", Map.of("to", "ollama", "rewrite", "/api"));
    }

    @Test
    void leavesOllamaOutUnlessBothTheFeatureAndTheProviderAreOn() {
        Map<String, Object> enabled = Map.of("providers", Map.of("ollama", Map.of("enabled", true)));
        Map<String, Object> disabled = Map.of("providers", Map.of("ollama", Map.of("enabled", false)));

        assertThat(services(FarmPreset.expand(FILE, Map.of("features", List.of("auth"), "ai", enabled), "p")))
                .doesNotContainKey("ollama");
        assertThat(services(FarmPreset.expand(FILE, Map.of("features", List.of("ai"), "ai", disabled), "p")))
                .doesNotContainKey("ollama");
        assertThat(services(FarmPreset.expand(FILE, Map.of("features", List.of("ai")), "p")))
                .doesNotContainKey("ollama");
        Map<String, Object> bare = FarmPreset.expand(FILE, Map.of("features", List.of("ai"), "ai", enabled), "p");
        assertThat(service(bare, "ollama")).isEqualTo(Map.of("preset", "ollama", "port", 11434, "adopt", true));
    }

    @Test
    void runsPostgresqlWhenTheDatabaseTypeSaysSo() {
        for (String type : List.of("postgresql", "postgres", "PostgreSQL")) {
            Map<String, Object> tree = FarmPreset.expand(FILE, Map.of("database", Map.of("type", type)), "p");

            assertThat(service(tree, "database"))
                    .as(type)
                    .isEqualTo(Map.of(
                            "kind",
                            "daemon",
                            "start",
                            "docker compose up -d postgres",
                            "stop",
                            "docker compose stop postgres",
                            "port",
                            5432,
                            "ready",
                            Map.of("tcp", 5432),
                            "adopt",
                            true));
        }
        Map<String, Object> mongo = FarmPreset.expand(FILE, Map.of("database", Map.of("type", "mongodb")), "p");
        assertThat(service(mongo, "database")).containsEntry("start", "docker compose up -d mongodb");
    }

    @Test
    void takesThePortsOfDevelopmentPorts() {
        Map<String, Object> farm = Map.of(
                "features", List.of("ai"),
                "ai", Map.of("providers", Map.of("ollama", Map.of("enabled", true))),
                "database", Map.of("type", "postgresql"),
                "development",
                        Map.of(
                                "ports",
                                Map.of(
                                        "frontend", 3100,
                                        "backend", "8100",
                                        "proxy", 4100,
                                        "ollama", 11500,
                                        "database", 5433)));

        Map<String, Object> tree = FarmPreset.expand(FILE, farm, "p");

        assertThat(service(tree, "frontend")).containsEntry("port", 3100);
        assertThat(service(tree, "backend")).containsEntry("port", 8100);
        assertThat(service(tree, "ollama")).containsEntry("port", 11500);
        assertThat(service(tree, "database")).containsEntry("port", 5433).containsEntry("ready", Map.of("tcp", 5433));
        assertThat(map(tree.get("proxy"))).containsEntry("port", 4100);
    }

    @Test
    void collectsEveryWrongValueBeforeThrowing() {
        Map<String, Object> ollama = new HashMap<>();
        ollama.put("enabled", "yes");
        ollama.put("models", "llama3.1");
        ollama.put("autoPull", List.of("llama3.1", 7));
        Map<String, Object> farm = Map.of(
                "name", 42,
                "features", "ai",
                "database", Map.of("type", "mysql"),
                "ai", Map.of("providers", Map.of("ollama", ollama)),
                "development", Map.of("ports", Map.of("backend", "80a", "frontend", 70000, "proxy", 4000.5)));

        assertThatThrownBy(() -> FarmPreset.expand(FILE, farm, "p"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        problem(
                                                "name",
                                                "expected a non-empty string, found 42. Fix the value in farm.config.js, or"
                                                        + " remove it to use the folder's name."),
                                        problem(
                                                "features",
                                                "expected a list of strings such as ['auth', 'ai'], found \"ai\". Fix the"
                                                        + " value in farm.config.js."),
                                        problem(
                                                "database.type",
                                                "expected one of mongodb, postgresql, postgres, found \"mysql\". The FARM"
                                                        + " preset runs only MongoDB and PostgreSQL, with docker compose; fix"
                                                        + " the value in farm.config.js, or write farm.yaml to run another"
                                                        + " database (see docs/config.md)."),
                                        problem(
                                                "ai.providers.ollama.enabled",
                                                "expected true or false, found \"yes\". Fix the value in farm.config.js."),
                                        problem(
                                                "ai.providers.ollama.models",
                                                "expected a list of strings such as ['llama3.1'], found \"llama3.1\". Fix the"
                                                        + " value in farm.config.js."),
                                        problem(
                                                "ai.providers.ollama.autoPull[1]",
                                                "expected a string, found 7. Fix the value in farm.config.js."),
                                        problem(
                                                "development.ports.backend",
                                                "expected an integer 1-65535, found \"80a\". Fix the value in"
                                                        + " farm.config.js."),
                                        problem(
                                                "development.ports.frontend",
                                                "expected an integer 1-65535, found 70000. Fix the value in"
                                                        + " farm.config.js."),
                                        problem(
                                                "development.ports.proxy",
                                                "expected an integer 1-65535, found 4000.5. Fix the value in"
                                                        + " farm.config.js.")))
                .hasMessageContaining(
                        "farm.config.js: development.ports.backend: expected an integer 1-65535, found \"80a\"."
                                + " Fix the value in farm.config.js.");
    }

    @Test
    void namesTheFileInTheMessagesAsTheUserNamedIt() {
        Path ts = Path.of("farm.config.ts");

        assertThatThrownBy(() -> FarmPreset.expand(ts, Map.of("development", List.of()), "p"))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(new ConfigProblem(
                                        ts,
                                        0,
                                        0,
                                        "development",
                                        "expected an object such as { ports: { backend: 8000 } }, found a list. Fix the"
                                                + " value in farm.config.ts.")));
    }

    @Test
    void treatsNullLikeAnAbsentKey() {
        Map<String, Object> ports = new HashMap<>();
        ports.put("frontend", 3100);
        ports.put("backend", null);
        Map<String, Object> farm = new HashMap<>();
        farm.put("name", null);
        farm.put("features", null);
        farm.put("database", null);
        farm.put("development", Map.of("ports", ports));

        Map<String, Object> tree = FarmPreset.expand(FILE, farm, "fallback");

        assertThat(tree).containsEntry("name", "fallback");
        assertThat(service(tree, "backend")).containsEntry("port", 8000);
        assertThat(service(tree, "frontend")).containsEntry("port", 3100);
        assertThat(service(tree, "database")).containsEntry("port", 27017);
    }

    @Test
    void keepsInterpolationsVerbatimForTheBinder() {
        Map<String, Object> tree = FarmPreset.expand(
                FILE,
                Map.of("features", List.of("ai"), "ai", Map.of("providers", Map.of("ollama", Map.of("enabled", true)))),
                "p");

        assertThat(service(tree, "backend"))
                .containsEntry("command", "uvicorn src.main:app --host 127.0.0.1 --port ${port}");
        assertThat(map(service(tree, "backend").get("env")))
                .containsEntry("OLLAMA_URL", "http://127.0.0.1:${services.ollama.port}");
        assertThat(service(tree, "frontend")).containsEntry("command", "npm run dev -- --port ${port} --strictPort");
    }

    @Test
    void returnsATreeTheCallerMayChange() {
        Map<String, Object> tree = FarmPreset.expand(FILE, Map.of(), "p");

        services(tree).remove("frontend");
        tree.put("env", Map.of("A", "1"));

        assertThat(tree).containsKey("env");
        assertThat(services(tree)).doesNotContainKey("frontend");
    }

    private static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(FILE, 0, 0, path, message);
    }

    private static Map<String, Object> services(Map<String, Object> tree) {
        return map(tree.get("services"));
    }

    private static Map<String, Object> service(Map<String, Object> tree, String name) {
        return map(services(tree).get(name));
    }

    private static Map<String, Object> routes(Map<String, Object> tree) {
        return map(map(tree.get("proxy")).get("routes"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
