package dev.farm.config;

import static dev.farm.config.ConfigSourceTest.catchConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The layers of docs/config.md "Environment", each overriding the one before, and env files read again. */
class EnvironmentPrecedenceTest {

    static final LoadOptions OPTIONS =
            LoadOptions.defaults().withEnvironment(Map.of("PATH", "/usr/bin")).withPortAllocator(() -> 45000);

    /** A project whose service {@code api} runs in apps/api and sees all six layers. */
    static final String SIX_LAYERS = """
            env_file: .env
            env: { B: project-env, C: project-env }
            services:
              api:
                command: run
                cwd: apps/api
                port: 8000
                env_file: .env.api
                env: { D: service-env, E: service-env }
            """;

    @TempDir
    Path dir;

    @Test
    void eachLayerOverridesTheOneBefore() throws IOException {
        write("farm.yaml", SIX_LAYERS);
        write(".env", "PYTHONUNBUFFERED=0\nA=project-file\nB=project-file\n");
        write("apps/api/.env.api", "C=service-file\nD=service-file\n");

        FarmConfig config = load(OPTIONS.withOverrides(Map.of("E", "override")));

        Environment environment = config.services().get("api").environment();
        assertThat(environment.values())
                .containsExactly(
                        Map.entry("PORT", "8000"),
                        Map.entry("FARM_SERVICE_NAME", "api"),
                        Map.entry("FARM_PROJECT_DIR", projectDir().toString()),
                        Map.entry("PYTHONUNBUFFERED", "0"),
                        Map.entry("FORCE_COLOR", "1"),
                        Map.entry("A", "project-file"),
                        Map.entry("B", "project-env"),
                        Map.entry("C", "service-file"),
                        Map.entry("D", "service-env"),
                        Map.entry("E", "override"));
        assertThat(environment.files())
                .containsExactly(projectDir().resolve(".env"), projectDir().resolve("apps/api/.env.api"));
        assertThat(environment.reload()).isEqualTo(environment.values());
    }

    /**
     * One variable set in the first {@code layers} layers: the highest one wins, and the variable keeps the place
     * where it first appeared. The variable is FARM_SERVICE_NAME, which farm's defaults set to the service's name,
     * so the service is named after the value layer 1 gives.
     */
    @ParameterizedTest(name = "set in layers 1-{0}: {1}")
    @CsvSource({
        "1, farm-default",
        "2, project-env-file",
        "3, project-env",
        "4, service-env-file",
        "5, service-env",
        "6, override"
    })
    void theHighestLayerThatSetsAVariableWins(int layers, String expected) throws IOException {
        String x = "FARM_SERVICE_NAME";
        write("farm.yaml", """
                env_file: .env
                %s
                services:
                  farm-default:
                    command: run
                    cwd: apps/api
                    env_file: .env.api
                    %s
                """.formatted(
                        layers >= 3 ? "env: { " + x + ": project-env }" : "",
                        layers >= 5 ? "env: { " + x + ": service-env }" : ""));
        write(".env", layers >= 2 ? x + "=project-env-file\n" : "");
        write("apps/api/.env.api", layers >= 4 ? x + "=service-env-file\n" : "");
        Map<String, String> overrides = layers >= 6 ? Map.of(x, "override") : Map.of();

        Map<String, String> values = load(OPTIONS.withOverrides(overrides))
                .services()
                .get("farm-default")
                .environment()
                .values();

        assertThat(values).containsEntry(x, expected);
        assertThat(values.keySet()).startsWith(x, "FARM_PROJECT_DIR");
    }

    @Test
    void laterEnvFilesOverrideEarlierOnes() throws IOException {
        write("farm.yaml", """
                env_file: [.env, .env.local]
                services:
                  api: { command: run, env_file: [a.env, b.env] }
                """);
        write(".env", "P=.env\nQ=.env\nR=.env\n");
        write(".env.local", "Q=.env.local\n");
        write("a.env", "R=a.env\nS=a.env\nS=a.env again\n");
        write("b.env", "T=b.env\n");

        assertThat(load(OPTIONS).services().get("api").environment().values())
                .containsEntry("P", ".env")
                .containsEntry("Q", ".env.local")
                .containsEntry("R", "a.env")
                .containsEntry("S", "a.env again")
                .containsEntry("T", "b.env");
    }

    @Test
    void farmsDefaultsFollowThePortAndNoColor() throws IOException {
        write("farm.yaml", "services: { worker: { command: run } }\n");

        Map<String, String> values = load(OPTIONS.withEnvironment(Map.of("NO_COLOR", "1")))
                .services()
                .get("worker")
                .environment()
                .values();

        assertThat(values)
                .containsExactly(
                        Map.entry("FARM_SERVICE_NAME", "worker"),
                        Map.entry("FARM_PROJECT_DIR", projectDir().toString()),
                        Map.entry("PYTHONUNBUFFERED", "1"));
    }

    @Test
    void overridesReachProjectLevelStringsToo() throws IOException {
        write("farm.yaml", """
                env: { OUT: web }
                services: { api: { command: run } }
                codegen:
                  types: { from: { command: "cat openapi.json" }, out: "${OUT}/api.ts" }
                """);

        FarmConfig config = load(OPTIONS.withOverrides(Map.of("OUT", "site")));

        assertThat(config.codegen().get("types").out()).isEqualTo(projectDir().resolve("site/api.ts"));
    }

    @Test
    void aMissingOptionalEnvFileIsFine() throws IOException {
        write("farm.yaml", """
                env_file: [.env, { path: .env.local, required: false }]
                services: { api: { command: run } }
                """);
        write(".env", "A=1\n");

        Environment environment = load(OPTIONS).services().get("api").environment();

        assertThat(environment.values()).containsEntry("A", "1").doesNotContainKey("B");
        assertThat(environment.files())
                .containsExactly(projectDir().resolve(".env"), projectDir().resolve(".env.local"));
    }

    @Test
    void reloadReadsTheEnvFilesAgainAndInterpolatesAgain() throws IOException {
        write("farm.yaml", """
                env_file: [.env, { path: .env.local, required: false }]
                services:
                  api:
                    command: run
                    port: auto
                    env: { URL: "http://${HOST}:${port}" }
                """);
        write(".env", "HOST=alpha\nLEVEL=info\n");
        write(".env.local", "LEVEL=debug\n");
        AtomicInteger allocated = new AtomicInteger();
        Environment environment = load(OPTIONS.withPortAllocator(() -> 45000 + allocated.getAndIncrement()))
                .services()
                .get("api")
                .environment();

        write(".env", "HOST=beta\nLEVEL=info\nADDED=yes\n");
        Files.delete(dir.resolve(".env.local"));
        Map<String, String> reloaded = environment.reload();

        assertThat(environment.values())
                .containsEntry("URL", "http://alpha:45000")
                .containsEntry("LEVEL", "debug")
                .doesNotContainKey("ADDED");
        assertThat(reloaded)
                .containsEntry("PORT", "45000")
                .containsEntry("URL", "http://beta:45000")
                .containsEntry("LEVEL", "info")
                .containsEntry("ADDED", "yes");
        assertThat(allocated).hasValue(1);
    }

    @Test
    void reloadExplainsARequiredEnvFileThatWasDeleted() throws IOException {
        Path file = write("farm.yaml", """
                services:
                  api:
                    command: run
                    env_file: secrets.env
                """);
        write("secrets.env", "TOKEN=abc\n");
        Environment environment = load(OPTIONS).services().get("api").environment();
        Files.delete(dir.resolve("secrets.env"));

        assertThatThrownBy(environment::reload)
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4:15: services.api.env_file: env file "
                        + projectDir().resolve("secrets.env")
                        + " does not exist. Create it, fix the path, or write { path: ..., required: false } to make"
                        + " it optional.");
    }

    @Test
    void reloadExplainsAnEnvFileThatBecameWrong() throws IOException {
        write("farm.yaml", "env_file: .env\nservices: { api: { command: run } }\n");
        write(".env", "A=1\n");
        Environment environment = load(OPTIONS).services().get("api").environment();
        write(".env", "A=1\nnot a variable\n");

        ConfigException e = catchConfig(environment::reload);

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).file()).isEqualTo(dir.resolve(".env")); // beside farm.yaml as the user named it
        assertThat(e.problems().get(0).line()).isEqualTo(2);
    }

    @Test
    void singleQuotedValuesAreLiteral() throws IOException {
        write("farm.yaml", "env_file: .env\nservices: { api: { command: run } }\n");
        write(".env", """
                NAME=farm
                LITERAL='${NAME} and $$ stay'
                ESCAPED="\\${NAME} is escaped, ${NAME} is not"
                PLAIN=${NAME}-plain
                """);

        assertThat(load(OPTIONS).services().get("api").environment().values())
                .containsEntry("LITERAL", "${NAME} and $$ stay")
                .containsEntry("ESCAPED", "${NAME} is escaped, farm is not")
                .containsEntry("PLAIN", "farm-plain");
    }

    private FarmConfig load(LoadOptions options) {
        return ConfigSource.file(dir.resolve("farm.yaml"), options).load();
    }

    private Path projectDir() {
        return dir.toAbsolutePath().normalize();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
