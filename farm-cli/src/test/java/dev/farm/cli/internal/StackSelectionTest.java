package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.RestartPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSelectionTest {

    @TempDir
    Path dir;

    @Test
    void aSubsetBringsWhatItDependsOnInConfigOrder() throws IOException {
        FarmConfig config = load();

        FarmConfig api = StackSelection.select(config, List.of("api"), true);

        assertThat(api.services().keySet()).containsExactly("db", "migrate", "api");
        assertThat(api.codegen()).containsOnlyKeys("types");
        assertThat(StackSelection.select(config, List.of("web"), true)
                        .services()
                        .keySet())
                .containsExactly("db", "migrate", "api", "web");
        assertThat(StackSelection.select(config, List.of(), true)).isSameAs(config);
    }

    @Test
    void noDepsDropsTheDependenciesOnWhatDoesNotRun() throws IOException {
        FarmConfig web = StackSelection.select(load(), List.of("web"), false);

        assertThat(web.services().keySet()).containsExactly("web");
        assertThat(web.services().get("web").dependsOn()).isEmpty();
        assertThat(web.codegen()).as("its source, api, does not run").isEmpty();
    }

    @Test
    void anUnknownServiceIsNamedWithTheKnownOnes() throws IOException {
        assertThatThrownBy(() -> StackSelection.select(load(), List.of("nope"), true))
                .hasMessage("no service 'nope' in farm.yaml (services: db, migrate, api, web, ollama)");
    }

    @Test
    void frontendIsWebOrGroupFrontend() throws IOException {
        FarmConfig config = load();
        assertThat(StackSelection.names(config, StackSelection::isFrontend)).containsExactly("web");
        assertThat(StackSelection.names(config, service -> !StackSelection.isFrontend(service)))
                .containsExactly("db", "migrate", "api", "ollama");
    }

    @Test
    void serveRestartsAlwaysButLeavesOneShotTasksAndRunsNoCodegen() throws IOException {
        FarmConfig served = StackSelection.serve(load());

        assertThat(served.services().get("api").restart().when()).isEqualTo(RestartPolicy.When.ALWAYS);
        assertThat(served.services().get("api").restart().max()).isEqualTo(3);
        assertThat(served.services().get("migrate").restart().when())
                .as("api waits for it to complete")
                .isNotEqualTo(RestartPolicy.When.ALWAYS);
        assertThat(served.codegen()).isEmpty();
    }

    private FarmConfig load() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  db:
                    command: db-server
                  migrate:
                    command: migrate
                    depends_on: { db: ready }
                    restart: { when: no }
                  api:
                    command: api-server
                    port: 8000
                    depends_on: { db: ready, migrate: succeeded }
                    restart: { when: on-failure, max: 3 }
                  web:
                    command: web-server
                    depends_on: { api: ready }
                  ollama:
                    command: ollama serve
                codegen:
                  types:
                    from: { service: api, path: /openapi.json }
                    out: web/src/api.ts
                """);
        return ConfigSource.directory(dir).load();
    }
}
