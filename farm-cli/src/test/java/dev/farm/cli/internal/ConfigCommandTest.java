package dev.farm.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code farm config check | show | schema} in-process, on files under a temporary folder. */
class ConfigCommandTest {

    /** farm-config's malformed-config table: the same mistakes must give exit 3 here, with the same message. */
    static final Path MALFORMED = Path.of("../farm-config/src/test/resources/malformed/cases.txt");

    @TempDir
    Path dir;

    final CliRunner cli = new CliRunner();

    static List<Arguments> malformed() throws IOException {
        String text = Files.readString(MALFORMED, StandardCharsets.UTF_8);
        List<Arguments> cases = new ArrayList<>();
        for (String section : text.split("(?m)^### ")) {
            if (section.isBlank()) {
                continue;
            }
            int titleEnd = section.indexOf('\n');
            String rest = section.substring(titleEnd + 1);
            int marker = rest.indexOf(">>>\n");
            String expected = rest.substring(marker + 4).strip();
            cases.add(Arguments.of(section.substring(0, titleEnd), rest.substring(0, marker), expected));
        }
        return cases;
    }

    @Test
    void theSharedTableHasAtLeastFortyCases() throws IOException {
        assertThat(malformed()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void checkExitsThreeWithTheMessageAndNoStackTrace(String title, String yaml, String expected) throws IOException {
        Path file = dir.resolve("farm.yaml");
        Files.writeString(file, yaml);

        int code = cli.run("config", "check", "-C", dir.toString());

        assertThat(code).as(title).isEqualTo(3);
        String firstLine = expected.lines().findFirst().orElseThrow();
        String fileName = dir.resolve("farm.yaml").toString();
        String shown = (firstLine.matches("^\\d+:\\d+: .*") ? fileName + ":" : fileName + ": ")
                + firstLine.replace("{dir}", dir.toAbsolutePath().normalize().toString());
        assertThat(cli.err.toString()).contains(shown).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(cli.out.toString()).isEmpty();
    }

    @Test
    void checkSaysOkWithTheProfilesItChecked() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api: { command: run, port: 8000 }
                profiles:
                  staging: { services: { api: { port: 8100 } } }
                """);

        assertThat(cli.run("config", "check", "-C", dir.toString())).isZero();
        assertThat(cli.out.toString())
                .isEqualTo(dir.resolve("farm.yaml") + ": ok, 1 service (profiles checked: dev, serve, staging)\n");
    }

    @Test
    void checkReportsAProblemOnlyTheServeProfileHas() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api: { command: run, port: 8000 }
                profiles:
                  serve: { services: { api: { stop_timeout: 10 } } }
                """);

        assertThat(cli.run("config", "check", "-C", dir.toString())).isEqualTo(3);
        assertThat(cli.err.toString())
                .contains("farm.yaml:4:45: services.api.stop_timeout: expected a duration such as 500ms, 30s or 2m,"
                        + " found 10. Add the unit: 10s or 10ms.");
    }

    @Test
    void showMasksSecretsAndAppliesTheProfileAndEnvOverrides() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api:
                    command: uvicorn main:app --port ${port}
                    port: 8000
                    env: { API_TOKEN: abc123, MODE: dev }
                profiles:
                  serve: { services: { api: { command: "uvicorn main:app --port ${port} --workers 2" } } }
                """);

        assertThat(cli.run(
                        "config", "show", "--json", "--profile", "serve", "--env", "MODE=prod", "-C", dir.toString()))
                .isZero();
        assertThat(cli.out.toString())
                .contains("\"command\": \"uvicorn main:app --port 8000 --workers 2\"")
                .contains("\"API_TOKEN\": \"********\"")
                .contains("\"MODE\": \"prod\"")
                .contains("\"profile\": \"serve\"")
                .doesNotContain("abc123");
    }

    @Test
    void showPrintsYamlByDefault() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api: { command: run }\n");

        assertThat(cli.run("config", "show", "-C", dir.toString())).isZero();
        assertThat(cli.out.toString()).contains("services:\n  api:\n    kind: process\n    command: run\n");
    }

    @Test
    void anEnvOverrideOfAnUnsetVariableIsAUsageError() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api: { command: run }\n");

        assertThat(cli.run("config", "show", "--env", "FARM_TEST_SURELY_UNSET_VARIABLE", "-C", dir.toString()))
                .isEqualTo(2);
        assertThat(cli.err.toString())
                .contains(
                        "--env FARM_TEST_SURELY_UNSET_VARIABLE: FARM_TEST_SURELY_UNSET_VARIABLE is not set in"
                                + " farm's environment. Export it first, or write --env FARM_TEST_SURELY_UNSET_VARIABLE=VALUE.");
    }

    @Test
    void schemaPrintsTheCommittedSchema() throws IOException {
        assertThat(cli.run("config", "schema")).isZero();
        assertThat(cli.out.toString())
                .isEqualTo(Files.readString(Path.of("../docs/farm.schema.json"), StandardCharsets.UTF_8));
    }
}
