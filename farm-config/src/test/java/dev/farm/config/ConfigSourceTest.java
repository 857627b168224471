package dev.farm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

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

        FarmConfig config = ConfigSource.directory(dir).load();

        assertThat(config.name()).isEqualTo("shop");
        assertThat(config.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(config.services()).containsOnlyKeys("db", "api", "worker");
        assertThat(config.services().keySet()).containsExactly("db", "api", "worker");

        ServiceConfig db = config.services().get("db");
        assertThat(db.command()).isEqualTo(new Command.Exec(List.of("postgres", "-D", "data")));
        assertThat(db.workingDirectory()).isEqualTo(config.directory());
        assertThat(db.port()).isEmpty();
        assertThat(db.ready()).contains(new ProbeConfig.Tcp(5432, Duration.ofMinutes(2)));

        ServiceConfig api = config.services().get("api");
        assertThat(api.command()).isEqualTo(new Command.Shell("uvicorn main:app --port 8000"));
        assertThat(api.workingDirectory()).isEqualTo(config.directory().resolve("apps/api"));
        assertThat(api.environment())
                .containsExactly(
                        Map.entry("LOG_LEVEL", "debug"), Map.entry("WORKERS", "2"), Map.entry("DEBUG", "true"));
        assertThat(api.port()).hasValue(8000);
        assertThat(api.ready()).contains(new ProbeConfig.Http("/health", ProbeConfig.DEFAULT_TIMEOUT));
        assertThat(api.dependsOn()).containsExactly(Map.entry("db", DependencyCondition.READY));

        assertThat(config.services().get("worker").dependsOn())
                .containsExactly(Map.entry("api", DependencyCondition.STARTED));
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
                .hasMessage(dir.resolve("farm.yaml") + ": no farm.yaml or farm.yml in "
                        + dir.toAbsolutePath().normalize()
                        + ". Create one there (examples/hello/farm.yaml shows the shape), run farm from the project"
                        + " folder, or name the file with -f.");
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
                        org.assertj.core.groups.Tuple.tuple(2, "services.api.command"),
                        org.assertj.core.groups.Tuple.tuple(3, "services.api.comand"),
                        org.assertj.core.groups.Tuple.tuple(4, "services.api.port"),
                        org.assertj.core.groups.Tuple.tuple(7, "services.web.depends_on.apii"));
        assertThat(e.getMessage().lines()).hasSize(4);
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
