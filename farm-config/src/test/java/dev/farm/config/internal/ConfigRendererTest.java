package dev.farm.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.config.ConfigPrinter;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code farm config show} masks: secret variables, their values wherever they appear, and URL passwords. */
class ConfigRendererTest {

    private static final String MASK = "********";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "API_KEY",
                "APIKEY",
                "GITHUB_TOKEN",
                "DB_PASSWORD",
                "SMTP_PASS",
                "LDAP_PASSWD",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_ACCESS_KEY_ID",
                "SECRET",
                "JWT_SECRET",
                "GOOGLE_APPLICATION_CREDENTIALS",
                "SSH_PRIVATE_KEY",
                "api_key",
                "apiKey",
                "dbPassword",
                "stripe-secret",
                "vault.token"
            })
    void masksANameWithASecretWordAsOneOfItsParts(String name) {
        assertThat(ConfigRenderer.isSecret(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "MONKEY",
                "KEYCLOAK_URL",
                "TOKENIZER_MODE",
                "PASSENGER_APP_ENV",
                "SECRETARY",
                "PWD",
                "DATABASE_URL",
                "monkey",
                "keycloakUrl",
                "LOG_LEVEL"
            })
    void showsANameThatOnlyContainsASecretWord(String name) {
        assertThat(ConfigRenderer.isSecret(name)).isFalse();
    }

    @Test
    void masksSecretVariablesAndShowsTheOthers() throws IOException {
        FarmConfig config = load("""
                services:
                  api:
                    command: run
                    env:
                      API_KEY: sk-live-abcdef
                      GITHUB_TOKEN: ghp_0123456789
                      MONKEY: banana
                      KEYCLOAK_URL: http://127.0.0.1:8180
                      TOKENIZER_MODE: fast
                """);

        String json = ConfigPrinter.json(config);

        assertThat(json)
                .contains("\"API_KEY\": \"" + MASK + "\"")
                .contains("\"GITHUB_TOKEN\": \"" + MASK + "\"")
                .contains("\"MONKEY\": \"banana\"")
                .contains("\"KEYCLOAK_URL\": \"http://127.0.0.1:8180\"")
                .contains("\"TOKENIZER_MODE\": \"fast\"")
                .doesNotContain("sk-live-abcdef")
                .doesNotContain("ghp_0123456789");
    }

    @Test
    void masksASecretsValueWhereverItAppears() throws IOException {
        FarmConfig config = load("""
                services:
                  db:
                    command: run-db --password ${DB_PASSWORD}
                    env: { DB_PASSWORD: hunter22 }
                    ready: { exec: "pg_isready --token hunter22" }
                  api:
                    command: run --token ${GITHUB_TOKEN}
                    port: 8000
                    env:
                      GITHUB_TOKEN: ghp_0123456789
                      DATABASE_URL: "postgres://u:hunter22@db/app"
                      CALLBACK: "https://example.com/hook?token=ghp_0123456789"
                    ready: { http: "http://127.0.0.1:8000/health?token=ghp_0123456789" }
                    watch:
                      - { paths: [src], do: { run: "notify --token ghp_0123456789" } }
                proxy:
                  port: 4000
                  routes:
                    /api: api
                    /legacy: { to: "http://127.0.0.1:9000/ghp_0123456789" }
                """);

        for (String text : new String[] {ConfigPrinter.json(config), ConfigPrinter.yaml(config)}) {
            assertThat(text)
                    .doesNotContain("hunter22")
                    .doesNotContain("ghp_0123456789")
                    .contains("run-db --password " + MASK)
                    .contains("pg_isready --token " + MASK)
                    .contains("run --token " + MASK)
                    .contains("postgres://u:" + MASK + "@db/app")
                    .contains("https://example.com/hook?token=" + MASK)
                    .contains("http://127.0.0.1:8000/health?token=" + MASK)
                    .contains("notify --token " + MASK)
                    .contains("http://127.0.0.1:9000/" + MASK);
        }
    }

    @Test
    void masksTheLongerOfTwoSecretsWholeAndLeavesShortValuesAlone() throws IOException {
        FarmConfig config = load("""
                services:
                  api:
                    command: run --key abcd --secret abcdefgh --workers 1
                    env: { API_KEY: abcd, CLIENT_SECRET: abcdefgh, DEBUG_KEY: "1", WORKERS: "1" }
                """);

        String json = ConfigPrinter.json(config);

        assertThat(json)
                .contains("run --key " + MASK + " --secret " + MASK + " --workers 1")
                .contains("\"DEBUG_KEY\": \"" + MASK + "\"")
                .contains("\"WORKERS\": \"1\"");
    }

    @Test
    void masksThePasswordOfAnyUrlAndNothingElseOfIt() throws IOException {
        FarmConfig config = load("""
                services:
                  api:
                    command: "migrate --url mysql://root:s3cr3t@127.0.0.1:3306/app && run"
                    env:
                      REDIS_URL: "redis://:pa55word@cache:6379/0"
                      AMQP_URL: "amqp://guest@rabbit:5672/"
                      VITE_URL: "http://localhost:5173/@vite/client"
                      MIRROR: "https://user:tok@mirror.example.com/repo"
                """);

        String json = ConfigPrinter.json(config);

        assertThat(json)
                .contains("migrate --url mysql://root:" + MASK + "@127.0.0.1:3306/app && run")
                .contains("\"REDIS_URL\": \"redis://:" + MASK + "@cache:6379/0\"")
                .contains("\"AMQP_URL\": \"amqp://guest@rabbit:5672/\"")
                .contains("\"VITE_URL\": \"http://localhost:5173/@vite/client\"")
                .contains("\"MIRROR\": \"https://user:" + MASK + "@mirror.example.com/repo\"")
                .doesNotContain("s3cr3t")
                .doesNotContain("pa55word");
    }

    @Test
    void masksASecretFromFarmsOwnEnvironmentOnceAServiceNamesIt() throws IOException {
        Path file = Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api:
                    command: run --token ${GITHUB_TOKEN}
                    env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" }
                """);
        FarmConfig config = ConfigSource.file(
                        file, LoadOptions.defaults().withEnvironment(Map.of("GITHUB_TOKEN", "ghp_fromtheshell")))
                .load();

        assertThat(ConfigPrinter.json(config)).contains("run --token " + MASK).doesNotContain("ghp_fromtheshell");
    }

    @Test
    void yamlQuotesTheMaskSoItIsNotReadAsAnAlias() throws IOException {
        FarmConfig config = load("""
                services:
                  api: { command: run, env: { API_KEY: sk-live-abcdef } }
                """);

        assertThat(ConfigPrinter.yaml(config)).contains("API_KEY: '" + MASK + "'");
    }

    @Test
    void masksASecretThatCameFromFarmsOwnEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api: { command: "run --token ${GITHUB_TOKEN}" }
                """);
        Map<String, String> shell = Map.of("GITHUB_TOKEN", "ghp_fromtheshell");
        FarmConfig config = ConfigSource.file(file, LoadOptions.defaults().withEnvironment(shell))
                .load();

        assertThat(ConfigPrinter.json(config, shell))
                .contains("\"command\": \"run --token ********\"")
                .doesNotContain("ghp_fromtheshell");
        assertThat(ConfigPrinter.yaml(config, shell)).doesNotContain("ghp_fromtheshell");
    }

    private FarmConfig load(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("farm.yaml"), yaml);
        return ConfigSource.file(file, LoadOptions.defaults().withEnvironment(Map.of()))
                .load();
    }
}
