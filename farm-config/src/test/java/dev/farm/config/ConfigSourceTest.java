package dev.farm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    static final LoadOptions OPTIONS = LoadOptions.defaults().withEnvironment(Map.of());

    @TempDir
    Path dir;

    @Test
    void readsEveryKeyOfAService() throws IOException {
        Files.createDirectories(dir.resolve("apps/api"));
        write("farm.yaml", """
                name: shop
                services:
                  db:
                    command: [postgres, -D, data]
                    ready: { tcp: 5432, timeout: 2m }
                  api:
                    command: uvicorn main:app --port 8000
                    cwd: apps/api
                    env: { LOG_LEVEL: debug, WORKERS: 2, DEBUG: true }
                    port: 8000
                    ready: { http: /health }
                    depends_on: { db: ready }
                  worker:
                    command: [node, worker.js]
                    depends_on:
                      api: started
                """);

        FarmConfig config = ConfigSource.directory(dir, OPTIONS).load();

        assertThat(config.name()).isEqualTo("shop");
        assertThat(config.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(config.services()).containsOnlyKeys("db", "api", "worker");
        assertThat(config.services().keySet()).containsExactly("db", "api", "worker");

        ServiceConfig db = config.services().get("db");
        assertThat(db.command()).contains(new Command.Exec(List.of("postgres", "-D", "data")));
        assertThat(db.workingDirectory()).isEqualTo(config.directory());
        assertThat(db.port()).isEmpty();
        assertThat(db.ready())
                .contains(new ProbeConfig(new ProbeConfig.Tcp(5432), Duration.ofMinutes(2), Optional.empty(), 1));

        ServiceConfig api = config.services().get("api");
        assertThat(api.command()).contains(new Command.Shell("uvicorn main:app --port 8000"));
        assertThat(api.workingDirectory()).isEqualTo(config.directory().resolve("apps/api"));
        assertThat(api.environment().values())
                .containsExactly(
                        Map.entry("PORT", "8000"),
                        Map.entry("FARM_SERVICE_NAME", "api"),
                        Map.entry("FARM_PROJECT_DIR", config.directory().toString()),
                        Map.entry("PYTHONUNBUFFERED", "1"),
                        Map.entry("FORCE_COLOR", "1"),
                        Map.entry("LOG_LEVEL", "debug"),
                        Map.entry("WORKERS", "2"),
                        Map.entry("DEBUG", "true"));
        assertThat(api.port()).hasValue(8000);
        assertThat(api.ready())
                .contains(ProbeConfig.ready(
                        new ProbeConfig.Http(URI.create("http://localhost:8000/health"), "GET", List.of())));
        assertThat(api.dependsOn()).containsExactly(Map.entry("db", Dependency.on(DependencyCondition.READY)));

        assertThat(config.services().get("worker").dependsOn())
                .containsExactly(Map.entry("api", Dependency.on(DependencyCondition.STARTED)));
    }

    @Test
    void projectNameDefaultsToTheFolderName() throws IOException {
        write("farm.yml", "services: { a: { command: run } }\n");

        FarmConfig config = ConfigSource.directory(dir).load();

        assertThat(config.name()).isEqualTo(dir.getFileName().toString());
        assertThat(config.source()).isEqualTo(dir.resolve("farm.yml"));
    }

    @Test
    void aFolderWithoutConfigSaysWhereItLookedAndWhatToDo() {
        assertThatThrownBy(() -> ConfigSource.directory(dir).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("farm.yaml") + ": no farm configuration in "
                        + dir.toAbsolutePath().normalize()
                        + " (looked for farm.yaml, farm.yml, farm.json, farm.config.js, farm.config.ts, Procfile,"
                        + " farm.properties)."
                        + " Create a farm.yaml there (examples/hello/farm.yaml shows the shape), run farm from the"
                        + " project folder, or name the file with -f.");
    }

    @Test
    void aMissingFileIsNamedAsGiven() {
        Path missing = Path.of("no-such-dir-for-farm", "farm.yaml");

        assertThatThrownBy(() -> ConfigSource.file(missing).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": file not found");
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() throws IOException {
        write("farm.yaml", """
                services:
                  api:
                    comand: run
                    port: 99999
                  web:
                    command: run
                    depends_on: { apii: ready }
                """);

        ConfigException e = catchConfig(() -> ConfigSource.directory(dir).load());

        assertThat(e.problems())
                .extracting(ConfigProblem::line, ConfigProblem::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, "services.api.comand"),
                        org.assertj.core.groups.Tuple.tuple(4, "services.api.port"),
                        org.assertj.core.groups.Tuple.tuple(7, "services.web.depends_on.apii"));
        assertThat(e.getMessage().lines()).hasSize(3); // "command: missing" would repeat "did you mean 'command'"
    }

    @Test
    void aCwdMayNameThePortOfAServiceDeclaredLater() throws IOException {
        Files.createDirectories(dir.resolve("data-9000"));
        write("farm.yaml", """
                services:
                  api: { command: run, cwd: "data-${services.web.port}" }
                  web: { command: run, port: 9000 }
                """);

        assertThat(ConfigSource.directory(dir, OPTIONS)
                        .load()
                        .service("api")
                        .orElseThrow()
                        .workingDirectory())
                .isEqualTo(dir.toAbsolutePath().normalize().resolve("data-9000"));
    }

    @Test
    void yamlOneOneBooleansReadAsUsersMeanThem() throws IOException {
        write("farm.yaml", """
                services:
                  a: { command: run, restart: no, adopt: yes }
                  b: { command: run, restart: { when: no }, adopt: off }
                """);

        FarmConfig config = ConfigSource.directory(dir, OPTIONS).load();

        assertThat(config.services().get("a").restart().when()).isEqualTo(RestartPolicy.When.NO);
        assertThat(config.services().get("a").adopt()).isTrue();
        assertThat(config.services().get("b").restart().when()).isEqualTo(RestartPolicy.When.NO);
        assertThat(config.services().get("b").adopt()).isFalse();
    }

    @Test
    void theOllamaPresetRunsOllamaServeOn11434AndAdoptsARunningOne() throws IOException {
        write("farm.yaml", """
                services:
                  ollama: { preset: ollama, models: [llama3.1] }
                  mine: { preset: ollama, port: 11500, adopt: false, optional: false }
                """);

        FarmConfig config = ConfigSource.directory(dir, OPTIONS).load();

        ServiceConfig ollama = config.services().get("ollama");
        assertThat(ollama.command()).contains(new Command.Shell("ollama serve"));
        assertThat(ollama.port()).hasValue(11434);
        assertThat(ollama.adopt()).isTrue();
        assertThat(ollama.optional()).isTrue(); // without ollama installed, the stack runs without local AI
        assertThat(ollama.models()).containsExactly("llama3.1");
        assertThat(ollama.environment().values()).containsEntry("OLLAMA_HOST", "127.0.0.1:11434");
        assertThat(ollama.ready().orElseThrow().check())
                .isEqualTo(new ProbeConfig.Http(URI.create("http://localhost:11434/api/tags"), "GET", List.of()));
        ServiceConfig mine = config.services().get("mine");
        assertThat(mine.adopt()).isFalse();
        assertThat(mine.optional()).isFalse();
        assertThat(mine.environment().values()).containsEntry("OLLAMA_HOST", "127.0.0.1:11500");
    }

    @Test
    void optionalTakesABooleanAndNothingElse() throws IOException {
        write("farm.yaml", """
                services:
                  mail: { command: mailpit, port: 8025, optional: true }
                  api: { command: uvicorn app:app }
                """);
        FarmConfig config = ConfigSource.directory(dir, OPTIONS).load();
        assertThat(config.services().get("mail").optional()).isTrue();
        assertThat(config.services().get("api").optional()).isFalse();

        write("farm.yaml", """
                services:
                  mail: { command: mailpit, optional: maybe }
                """);
        ConfigException e =
                catchConfig(() -> ConfigSource.directory(dir, OPTIONS).load());
        assertThat(e.getMessage()).contains("services.mail.optional").contains("maybe");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    static ConfigException catchConfig(Runnable action) {
        try {
            action.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }
}
