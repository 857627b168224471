package dev.farm.config;

import static dev.farm.config.ConfigSourceTest.catchConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/config.md "Profiles": the active profile merged over the file, the others only checked for shape. */
class ProfilesTest {

    static final LoadOptions OPTIONS =
            LoadOptions.defaults().withEnvironment(Map.of()).withPortAllocator(() -> 45000);

    static final String PROJECT = """
            env: { LOG_LEVEL: info }
            services:
              api:
                command: uvicorn main:app --reload --port ${port}
                port: 8000
                env: { WORKERS: "1", DEBUG: "true" }
              web:
                command: vite
                port: 5173
            proxy:
              port: 4000
              routes: { /api: api, /: web }
            profiles:
              dev:
                env: { LOG_LEVEL: debug }
              serve:
                env: { LOG_LEVEL: "${SERVE_LEVEL:-warning}" }
                services:
                  api:
                    command: uvicorn main:app --workers 2 --port ${port}
                    env: { WORKERS: "2", SENTRY: "on" }
                  web: { command: "vite preview --port ${port}" }
                proxy: { port: 8080 }
            """;

    @TempDir
    Path dir;

    @Test
    void devIsActiveByDefault() throws IOException {
        write(PROJECT);

        FarmConfig config = ConfigSource.file(dir.resolve("farm.yaml"), OPTIONS).load();

        assertThat(config.profile()).isEqualTo(LoadOptions.DEV);
        assertThat(config.profiles()).containsExactly("dev", "serve");
        ServiceConfig api = config.services().get("api");
        assertThat(api.command()).contains(new Command.Shell("uvicorn main:app --reload --port 8000"));
        assertThat(api.environment().values())
                .containsEntry("LOG_LEVEL", "debug")
                .containsEntry("WORKERS", "1")
                .doesNotContainKey("SENTRY");
        assertThat(config.proxy().orElseThrow().port()).isEqualTo(4000);
    }

    @Test
    void serveReplacesCommandsMergesEnvKeyByKeyAndOverridesTheProxyPort() throws IOException {
        write(PROJECT);

        FarmConfig config = load(LoadOptions.SERVE);

        assertThat(config.profile()).isEqualTo(LoadOptions.SERVE);
        ServiceConfig api = config.services().get("api");
        assertThat(api.command()).contains(new Command.Shell("uvicorn main:app --workers 2 --port 8000"));
        assertThat(api.port()).hasValue(8000);
        assertThat(api.environment().values())
                .containsEntry("LOG_LEVEL", "warning")
                .containsEntry("WORKERS", "2")
                .containsEntry("DEBUG", "true")
                .containsEntry("SENTRY", "on");
        assertThat(config.services().get("web").command()).contains(new Command.Shell("vite preview --port 5173"));
        ProxyConfig proxy = config.proxy().orElseThrow();
        assertThat(proxy.port()).isEqualTo(8080);
        assertThat(proxy.routes()).extracting(RouteConfig::prefix).containsExactly("/api", "/");
        assertThat(config.services().keySet()).containsExactly("api", "web");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "Serve", "test"})
    void anUndeclaredProfileIsAnErrorNamingTheDeclaredOnes(String profile) throws IOException {
        write(PROJECT);

        assertThatThrownBy(() -> load(profile))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("farm.yaml") + ": no profile named '" + profile + "'"
                        + (profile.equals("Serve") ? " (did you mean 'serve'?)" : "")
                        + ". The file declares dev, serve. Pick one of them with --profile, or declare it under"
                        + " 'profiles'.");
    }

    @Test
    void devAndServeNeedNoDeclaration() throws IOException {
        write("services: { api: { command: run } }\n");

        assertThat(load("serve").profile()).isEqualTo("serve");
    }

    @Test
    void aProfilesProbeWithItsOwnCheckReplacesTheFilesProbe() throws IOException {
        write("""
                services:
                  api:
                    command: run
                    port: 8000
                    ready: { http: /health, timeout: 2m }
                profiles:
                  serve: { services: { api: { ready: { tcp: 8000 } } } }
                """);

        assertThat(load("serve").services().get("api").ready().orElseThrow())
                .isEqualTo(ProbeConfig.ready(new ProbeConfig.Tcp(8000)));
        assertThat(load("dev").services().get("api").ready().orElseThrow().timeout())
                .isEqualTo(java.time.Duration.ofMinutes(2));
    }

    @Test
    void profilesAreOptional() throws IOException {
        write("services: { api: { command: run } }\n");

        FarmConfig config = load(LoadOptions.SERVE);

        assertThat(config.profiles()).isEmpty();
        assertThat(config.services().get("api").command()).contains(new Command.Shell("run"));
    }

    @Test
    void anInactiveProfileIsCheckedForShapeOnly() throws IOException {
        write("""
                services:
                  api: { command: run, port: 8000 }
                profiles:
                  serve:
                    services:
                      api: { port: eighty, stop_timeout: 10, comand: x }
                """);

        FarmConfig config = load(LoadOptions.DEV);

        assertThat(config.services().get("api").port()).hasValue(8000);
    }

    @Test
    void theActiveProfilesMistakesAreReportedWhereTheProfileSaysThem() throws IOException {
        Path file = write("""
                services:
                  api: { command: run, port: 8000 }
                profiles:
                  serve:
                    services:
                      api: { port: eighty, stop_timeout: 10, comand: x }
                """);

        ConfigException e = catchConfig(() -> load(LoadOptions.SERVE));

        assertThat(e.getMessage())
                .isEqualTo(file + ":6:20: services.api.port: expected an integer 1-65535 or 'auto', found \"eighty\"."
                        + " Fix the value, write 'auto' to let farm pick a free port, or remove the key.\n"
                        + file + ":6:42: services.api.stop_timeout: expected a duration such as 500ms, 30s or 2m,"
                        + " found 10. Add the unit: 10s or 10ms.\n"
                        + file + ":6:46: services.api.comand: unknown key 'comand'. Did you mean 'command'?");
    }

    static Stream<Arguments> shapeMistakes() {
        return Stream.of(
                Arguments.of(
                        "a profile naming a service the file does not declare",
                        "services:\n  api: { command: run }\nprofiles:\n  serve:\n    services: { apii: { command: x } }\n",
                        "5:17: profiles.serve.services.apii: no service named 'apii' (did you mean 'api'?). A profile"
                                + " changes the services the file declares; declare it under 'services'."),
                Arguments.of(
                        "a profile adding a service",
                        "services:\n  api: { command: run }\nprofiles:\n  dev:\n    services: { worker: { command: x } }\n",
                        "5:17: profiles.dev.services.worker: no service named 'worker'. A profile changes the services"
                                + " the file declares; declare it under 'services'."),
                Arguments.of(
                        "profiles as a list",
                        "services:\n  api: { command: run }\nprofiles: [serve]\n",
                        "3:11: profiles: expected a mapping of profile names to overrides, such as { serve: {"
                                + " services: { api: { command: ... } } } }, found a list."),
                Arguments.of(
                        "a profile that is not a mapping",
                        "services:\n  api: { command: run }\nprofiles:\n  serve: production\n",
                        "4:10: profiles.serve: expected a mapping with env, services or proxy, found \"production\"."),
                Arguments.of(
                        "a key a profile cannot change",
                        "services:\n  api: { command: run }\nprofiles:\n  serve:\n    codegen: {}\n",
                        "5:5: profiles.serve.codegen: unknown key 'codegen'. Known keys here: env, services, proxy."),
                Arguments.of(
                        "services as a list",
                        "services:\n  api: { command: run }\nprofiles:\n  serve:\n    services: [api]\n",
                        "5:15: profiles.serve.services: expected a mapping of keys to override, found a list."),
                Arguments.of(
                        "a service override that is not a mapping",
                        "services:\n  api: { command: run }\nprofiles:\n  serve:\n    services: { api: run }\n",
                        "5:22: profiles.serve.services.api: expected a mapping of the keys to override, found"
                                + " \"run\"."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapeMistakes")
    void anyProfilesShapeIsChecked(String title, String yaml, String expected) throws IOException {
        Path file = write(yaml);

        ConfigException e = catchConfig(() -> load(LoadOptions.DEV));

        assertThat(e).hasMessage(file + ":" + expected);
    }

    private FarmConfig load(String profile) {
        return ConfigSource.file(dir.resolve("farm.yaml"), OPTIONS.withProfile(profile))
                .load();
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("farm.yaml"), yaml);
    }
}
