package dev.farm.config.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.ProbeConfig;
import dev.farm.config.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The farm-config README's example. */
class ReadConfigExampleTest {

    @TempDir
    Path project;

    @Test
    void readsAProjectAndExplainsMistakes() throws IOException {
        Files.writeString(project.resolve("farm.yaml"), """
                services:
                  api:
                    command: java Api.java
                    port: 8000
                    ready: { http: /health }
                """);

        FarmConfig config = ConfigSource.directory(project).load();
        ServiceConfig api = config.service("api").orElseThrow();
        assertThat(api.port()).hasValue(8000);
        assertThat(api.ready().orElseThrow().check()).isInstanceOf(ProbeConfig.Http.class);

        Files.writeString(project.resolve("farm.yaml"), "services:\n  api:\n    comand: java Api.java\n");
        assertThatThrownBy(() -> ConfigSource.directory(project).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(
                        "farm.yaml:3:5: services.api.comand: unknown key 'comand'. Did you mean 'command'?");
    }
}
