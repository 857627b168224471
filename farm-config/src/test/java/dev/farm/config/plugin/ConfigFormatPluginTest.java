package dev.farm.config.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.config.Command;
import dev.farm.config.ConfigException;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import dev.farm.config.spi.ConfigFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ConfigFormat found by ServiceLoader reads its files like a farm.yaml; an explicit format wins over any name. */
class ConfigFormatPluginTest {

    static final LoadOptions OPTIONS = LoadOptions.defaults().withEnvironment(Map.of());

    @TempDir
    Path dir;

    @Test
    void aPluginFormatIsFoundByFileNameInAProjectFolder() throws IOException {
        Files.writeString(dir.resolve("farm.properties"), "api.command=run --port ${port}\napi.port=8123\n");

        FarmConfig config = ConfigSource.directory(dir, OPTIONS).load();

        assertThat(config.source()).isEqualTo(dir.resolve("farm.properties"));
        assertThat(config.service("api").orElseThrow().command()).contains(new Command.Shell("run --port 8123"));
    }

    @Test
    void aPluginsTreeIsValidatedLikeAnyOther() throws IOException {
        Files.writeString(dir.resolve("farm.properties"), "api.command=run\napi.port=99999\n");

        assertThatThrownBy(() -> ConfigSource.directory(dir, OPTIONS).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("farm.properties") + ": services.api.port: expected an integer 1-65535 or"
                        + " 'auto', found 99999. Fix the value, write 'auto' to let farm pick a free port, or remove"
                        + " the key.");
    }

    @Test
    void aBuiltInFileWinsOverAPluginFileInTheSameFolder() throws IOException {
        Files.writeString(dir.resolve("farm.properties"), "api.command=from-properties\n");
        Files.writeString(dir.resolve("farm.yaml"), "services: { api: { command: from-yaml } }\n");

        assertThat(ConfigSource.directory(dir, OPTIONS)
                        .load()
                        .service("api")
                        .orElseThrow()
                        .command())
                .contains(new Command.Shell("from-yaml"));
    }

    @Test
    void anExplicitFormatWinsOverTheFileName() throws IOException {
        Path file = Files.writeString(dir.resolve("stack.conf"), "ignored");
        ConfigFormat fixed = new ConfigFormat() {
            @Override
            public List<String> fileNames() {
                return List.of("stack.conf");
            }

            @Override
            public Map<String, Object> read(Path path) {
                return Map.of("services", Map.of("api", Map.of("command", List.of("java", "Api.java"))));
            }
        };

        FarmConfig config = ConfigSource.file(file, fixed, OPTIONS).load();

        assertThat(config.service("api").orElseThrow().command())
                .contains(new Command.Exec(List.of("java", "Api.java")));
    }

    @Test
    void aFileNoFormatKnowsIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("stack.toml"), "x = 1");

        assertThatThrownBy(() -> ConfigSource.file(file, OPTIONS).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": farm does not know this file's format. Name it farm.yaml (or .yml, .json,"
                        + " farm.config.js, Procfile), or add a ConfigFormat plug-in for it.");
    }
}
