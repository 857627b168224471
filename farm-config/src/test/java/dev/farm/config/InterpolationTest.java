package dev.farm.config;

import static dev.farm.config.ConfigSourceTest.catchConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ${...}} as docs/config.md "Interpolation" describes it, read through {@link ConfigSource}. */
class InterpolationTest {

    /** farm's own environment, so nothing depends on the machine that runs the test. */
    static final Map<String, String> FARM_ENVIRONMENT = Map.of("FROM_FARM", "machine", "PATH", "/usr/bin");

    static final LoadOptions OPTIONS =
            LoadOptions.defaults().withEnvironment(FARM_ENVIRONMENT).withPortAllocator(() -> 45000);

    @TempDir
    Path dir;

    /** Each case: a farm.yaml whose service {@code api} runs {@code command}, an optional .env, the command. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of(
                        "a variable of the service's env",
                        "services: { api: { command: 'echo ${GREETING}', env: { GREETING: hello } } }",
                        "",
                        "echo hello"),
                Arguments.of(
                        "a variable of the project's env",
                        "env: { GREETING: hi }\nservices: { api: { command: 'echo ${GREETING}' } }",
                        "",
                        "echo hi"),
                Arguments.of(
                        "a variable of the project's env file",
                        "env_file: .env\nservices: { api: { command: 'echo ${GREETING}' } }",
                        "GREETING=from-file\n",
                        "echo from-file"),
                Arguments.of(
                        "farm's own environment when no layer has it",
                        "services: { api: { command: 'echo ${FROM_FARM}' } }",
                        "",
                        "echo machine"),
                Arguments.of(
                        "the service's env before farm's own environment",
                        "services: { api: { command: 'echo ${FROM_FARM}', env: { FROM_FARM: mine } } }",
                        "",
                        "echo mine"),
                Arguments.of(
                        "the service's env before the project's",
                        "env: { WHO: project }\nservices: { api: { command: 'echo ${WHO}', env: { WHO: service } } }",
                        "",
                        "echo service"),
                Arguments.of(
                        ":- gives the default when unset",
                        "services: { api: { command: 'echo ${UNSET:-fallback}' } }",
                        "",
                        "echo fallback"),
                Arguments.of(
                        ":- gives the default when empty",
                        "services: { api: { command: 'echo ${EMPTY:-fallback}', env: { EMPTY: '' } } }",
                        "",
                        "echo fallback"),
                Arguments.of(
                        ":- keeps a value that is set",
                        "services: { api: { command: 'echo ${SET:-fallback}', env: { SET: value } } }",
                        "",
                        "echo value"),
                Arguments.of(
                        "- gives the default when unset",
                        "services: { api: { command: 'echo ${UNSET-fallback}' } }",
                        "",
                        "echo fallback"),
                Arguments.of(
                        "- keeps an empty value empty",
                        "services: { api: { command: 'echo [${EMPTY-fallback}]', env: { EMPTY: '' } } }",
                        "",
                        "echo []"),
                Arguments.of(
                        "- with an empty default", "services: { api: { command: 'echo [${UNSET-}]' } }", "", "echo []"),
                Arguments.of(
                        ":? keeps a value that is set",
                        "services: { api: { command: 'echo ${SET:?needed}', env: { SET: value } } }",
                        "",
                        "echo value"),
                Arguments.of(
                        "a default that is itself a reference",
                        "services: { api: { command: 'echo ${A:-${B}}', env: { B: bee } } }",
                        "",
                        "echo bee"),
                Arguments.of(
                        "a default of a default",
                        "services: { api: { command: 'echo ${A:-${B:-deep}}' } }",
                        "",
                        "echo deep"),
                Arguments.of(
                        "a default is not expanded when the variable is set",
                        "services: { api: { command: 'echo ${A:-${UNDEFINED}}', env: { A: a } } }",
                        "",
                        "echo a"),
                Arguments.of(
                        "a variable that refers to another",
                        "services: { api: { command: 'echo ${URL}', env: { URL: 'http://${HOST}', HOST: h } } }",
                        "",
                        "echo http://h"),
                Arguments.of(
                        "${port} is the service's port",
                        "services: { api: { command: 'serve --port ${port}', port: 8000 } }",
                        "",
                        "serve --port 8000"),
                Arguments.of(
                        "${port} after auto is the allocator's port",
                        "services: { api: { command: 'serve --port ${port}', port: auto } }",
                        "",
                        "serve --port 45000"),
                Arguments.of(
                        "${name} is the service's name",
                        "services: { api: { command: 'echo ${name}' } }",
                        "",
                        "echo api"),
                Arguments.of(
                        "${project.dir} is the project folder",
                        "services: { api: { command: 'ls ${project.dir}' } }",
                        "",
                        "ls {dir}"),
                Arguments.of(
                        "${services.NAME.port} is another service's port",
                        "services:\n  db: { command: run, port: 5433 }\n  api: { command: 'connect ${services.db.port}' }",
                        "",
                        "connect 5433"),
                Arguments.of(
                        "${services.NAME.port} of an auto port",
                        "services:\n  web: { command: run, port: auto }\n  api: { command: 'cors ${services.web.port}' }",
                        "",
                        "cors 45000"),
                Arguments.of(
                        "${services.NAME.port} of a service whose name has a dash",
                        "services:\n  my-db: { command: run, port: 5433 }\n  api: { command: 'connect ${services.my-db.port}' }",
                        "",
                        "connect 5433"),
                Arguments.of(
                        "$$ is a literal $",
                        "services: { api: { command: 'echo $${HOME} costs 5$$' } }",
                        "",
                        "echo ${HOME} costs 5$"),
                Arguments.of(
                        "a lone $ is left for the shell",
                        "services: { api: { command: 'echo $HOME $(pwd) $1 a$' } }",
                        "",
                        "echo $HOME $(pwd) $1 a$"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void interpolatesTheCommand(String title, String yaml, String envFile, String expected) throws IOException {
        write("farm.yaml", yaml + "\n");
        if (!envFile.isEmpty()) {
            write(".env", envFile);
        }

        ServiceConfig api = load().services().get("api");

        assertThat(api.command()).contains(new Command.Shell(expected.replace("{dir}", projectDir())));
    }

    @Test
    void aPortMayComeFromAVariableWithADefault() throws IOException {
        write("farm.yaml", """
                services:
                  api:
                    command: serve
                    port: ${API_PORT:-8000}
                """);

        ServiceConfig byDefault = load().services().get("api");
        ServiceConfig fromFarm = ConfigSource.file(
                        dir.resolve("farm.yaml"), OPTIONS.withEnvironment(Map.of("API_PORT", "9100")))
                .load()
                .services()
                .get("api");

        assertThat(byDefault.port()).hasValue(8000);
        assertThat(byDefault.autoPort()).isFalse();
        assertThat(byDefault.environment().values()).containsEntry("PORT", "8000");
        assertThat(fromFarm.port()).hasValue(9100);
        assertThat(fromFarm.environment().values()).containsEntry("PORT", "9100");
    }

    @Test
    void anAutoPortIsPickedOnceHoweverOftenItIsReferred() throws IOException {
        write("farm.yaml", """
                services:
                  web:
                    command: vite --port ${port}
                    port: auto
                    env: { OWN: "${port}" }
                  api:
                    command: serve --cors http://localhost:${services.web.port}
                    env: { WEB: "${services.web.port}" }
                """);
        AtomicInteger next = new AtomicInteger(45000);

        FarmConfig config = ConfigSource.file(
                        dir.resolve("farm.yaml"), OPTIONS.withPortAllocator(next::getAndIncrement))
                .load();

        ServiceConfig web = config.services().get("web");
        assertThat(web.port()).hasValue(45000);
        assertThat(web.autoPort()).isTrue();
        assertThat(web.command()).contains(new Command.Shell("vite --port 45000"));
        assertThat(web.environment().values()).containsEntry("PORT", "45000").containsEntry("OWN", "45000");
        ServiceConfig api = config.services().get("api");
        assertThat(api.command()).contains(new Command.Shell("serve --cors http://localhost:45000"));
        assertThat(api.environment().values()).containsEntry("WEB", "45000");
        assertThat(next.get()).isEqualTo(45001);
    }

    @Test
    void interpolatesEveryKindOfString() throws IOException {
        Files.createDirectories(dir.resolve("apps/api"));
        write("farm.yaml", """
                name: shop
                env:
                  API_DIR: apps/api
                  WEB_DIR: apps/web
                  LEGACY_PORT: "9000"
                services:
                  api:
                    command: [python, -m, uvicorn, --port, "${port}", "--root-path=${ROOT}", 8000]
                    cwd: ${API_DIR}
                    port: 8000
                    env: { ROOT: /api, HEALTH: /health }
                    ready: { http: "${ROOT}${HEALTH}" }
                    alive: { http: "http://127.0.0.1:${services.api.port}${HEALTH:-/}" }
                proxy:
                  port: ${PROXY_PORT:-4100}
                  routes:
                    /legacy: "http://127.0.0.1:${LEGACY_PORT}"
                    /api: { to: "http://localhost:${services.api.port}", rewrite: "/${name}" }
                codegen:
                  types:
                    from: { service: api, path: "/${name}/openapi.json" }
                    out: ${WEB_DIR}/src/generated.ts
                """);

        FarmConfig config = load();

        ServiceConfig api = config.services().get("api");
        assertThat(api.command())
                .contains(new Command.Exec(
                        List.of("python", "-m", "uvicorn", "--port", "8000", "--root-path=/api", "8000")));
        assertThat(api.workingDirectory()).isEqualTo(config.directory().resolve("apps/api"));
        assertThat(api.ready().orElseThrow().check())
                .isEqualTo(new ProbeConfig.Http(URI.create("http://localhost:8000/api/health"), "GET", List.of()));
        assertThat(api.alive().orElseThrow().check())
                .isEqualTo(new ProbeConfig.Http(URI.create("http://127.0.0.1:8000/health"), "GET", List.of()));
        ProxyConfig proxy = config.proxy().orElseThrow();
        assertThat(proxy.port()).isEqualTo(4100);
        assertThat(proxy.routes())
                .containsExactly(
                        new RouteConfig(
                                "/legacy",
                                new RouteConfig.UrlTarget(URI.create("http://127.0.0.1:9000")),
                                Optional.empty(),
                                true,
                                Optional.empty()),
                        new RouteConfig(
                                "/api",
                                new RouteConfig.UrlTarget(URI.create("http://localhost:8000")),
                                Optional.of("/shop"),
                                true,
                                Optional.empty()));
        CodegenConfig types = config.codegen().get("types");
        assertThat(types.from()).isEqualTo(new CodegenConfig.FromService("api", "/shop/openapi.json"));
        assertThat(types.out()).isEqualTo(config.directory().resolve("apps/web/src/generated.ts"));
    }

    @Test
    void aSelfReferenceMeansTheLayerBelow() throws IOException {
        write("farm.yaml", """
                env:
                  CLASSPATH: "${CLASSPATH:-}:/project.jar"
                services:
                  from-farm:
                    command: run
                    env: { PATH: "${PATH}:/x" }
                  from-project:
                    command: run
                    env: { CLASSPATH: "${CLASSPATH}:/service.jar" }
                """);

        FarmConfig config = load();

        assertThat(config.services().get("from-farm").environment().values()).containsEntry("PATH", "/usr/bin:/x");
        assertThat(config.services().get("from-project").environment().values())
                .containsEntry("CLASSPATH", ":/project.jar:/service.jar");
    }

    @Test
    void anEscapedDollarStaysLiteralWhenAnotherVariableRefersToIt() throws IOException {
        write("farm.yaml", """
                services:
                  api:
                    command: run
                    env: { PRICE: "$${AMOUNT}", QUOTE: "costs ${PRICE}", AMOUNT: "5" }
                """);

        assertThat(load().services().get("api").environment().values())
                .containsEntry("PRICE", "${AMOUNT}")
                .containsEntry("QUOTE", "costs ${AMOUNT}");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "an undefined variable",
                        "services:\n  api:\n    command: run ${NOPE}\n",
                        "3:14: services.api.command: ${NOPE} is not defined. Set it in 'env' or an env file, export it before running farm, or give a default: ${NOPE:-VALUE}."),
                Arguments.of(
                        "an undefined variable needed by another",
                        "services:\n  api:\n    command: run ${URL}\n    env:\n      URL: \"http://${HOST}\"\n",
                        "5:12: services.api.env.URL: ${HOST} is not defined (needed by URL). Set it in 'env' or an env file, export it before running farm, or give a default: ${HOST:-VALUE}."),
                Arguments.of(
                        "an undefined variable in a project-level string",
                        "services: { api: { command: run } }\ncodegen:\n  t: { from: { file: farm.yaml }, out: \"${OUT}\" }\n",
                        "3:40: codegen.t.out: ${OUT} is not defined. Set it in 'env' or an env file, export it before running farm, or give a default: ${OUT:-VALUE}."),
                Arguments.of(
                        ":? when unset",
                        "services:\n  api:\n    command: \"run ${TOKEN:?set TOKEN to your API token}\"\n",
                        "3:14: services.api.command: ${TOKEN} is not set: set TOKEN to your API token."),
                Arguments.of(
                        ":? when empty",
                        "services:\n  api:\n    command: \"run ${TOKEN:?set TOKEN}\"\n    env: { TOKEN: '' }\n",
                        "3:14: services.api.command: ${TOKEN} is empty: set TOKEN."),
                Arguments.of(
                        ":? without a message",
                        "services:\n  api:\n    command: \"run ${TOKEN:?}\"\n",
                        "3:14: services.api.command: ${TOKEN} is not set: it is required."),
                Arguments.of(
                        "a cycle of two",
                        "services:\n  api:\n    command: run\n    env:\n      A: \"${B}\"\n      B: \"${A}\"\n",
                        "5:10: services.api.env.A: variable reference cycle A → B → A. Give one of them a value that does not refer back."),
                Arguments.of(
                        "a cycle of three",
                        "services:\n  api:\n    command: run\n    env:\n      A: \"x${B}\"\n      B: \"${C}\"\n      C: \"${A}y\"\n",
                        "5:10: services.api.env.A: variable reference cycle A → B → C → A. Give one of them a value that does not refer back."),
                Arguments.of(
                        "a cycle entered from the command",
                        "services:\n  api:\n    command: run ${B}\n    env:\n      A: \"${B}\"\n      B: \"${A}\"\n",
                        "6:10: services.api.env.B: variable reference cycle B → A → B. Give one of them a value that does not refer back."),
                Arguments.of(
                        "a cycle across the project's and the service's env",
                        "env: { A: \"${B}\" }\nservices:\n  api:\n    command: run\n    env: { B: \"${A}\" }\n",
                        "1:11: env.A: variable reference cycle A → B → A. Give one of them a value that does not refer back."),
                Arguments.of(
                        "a self reference with nothing below",
                        "services:\n  api:\n    command: run\n    env: { NOT_IN_FARM: \"${NOT_IN_FARM}:/x\" }\n",
                        "4:25: services.api.env.NOT_IN_FARM: ${NOT_IN_FARM} is not defined (needed by NOT_IN_FARM). Set it in 'env' or an env file, export it before running farm, or give a default: ${NOT_IN_FARM:-VALUE}."),
                Arguments.of(
                        "a port that refers to itself through the env",
                        "services:\n  api:\n    command: run\n    port: ${P}\n    env: { P: \"${port}\" }\n",
                        "4:11: services.api.port: the port refers to itself through services.api.port → P → services.api.port. Write the number, or 'auto'."),
                Arguments.of(
                        "two ports that refer to each other",
                        "services:\n  a: { command: run, port: \"${services.b.port}\" }\n  b: { command: run, port: \"${services.a.port}\" }\n",
                        "2:28: services.a.port: the port refers to itself through services.a.port → services.b.port → services.a.port. Write the number, or 'auto'."),
                Arguments.of(
                        "an undefined variable as a port",
                        "services:\n  api:\n    command: run\n    port: ${API_PORT}\n",
                        "4:11: services.api.port: ${API_PORT} is not defined (needed by services.api.port). Set it in 'env' or an env file, export it before running farm, or give a default: ${API_PORT:-VALUE}."),
                Arguments.of(
                        "an undefined variable as a duration",
                        "services:\n  api:\n    command: run\n    stop_timeout: ${GRACE}\n",
                        "4:19: services.api.stop_timeout: ${GRACE} is not defined. Set it in 'env' or an env file, export it before running farm, or give a default: ${GRACE:-VALUE}."),
                Arguments.of(
                        "an undefined variable as a boolean",
                        "services:\n  api:\n    command: run\n    adopt: ${ADOPT}\n",
                        "4:12: services.api.adopt: ${ADOPT} is not defined. Set it in 'env' or an env file, export it before running farm, or give a default: ${ADOPT:-VALUE}."),
                Arguments.of(
                        "${port} outside a service",
                        "services: { api: { command: run, port: 8000 } }\nproxy:\n  routes: { /api: \"http://localhost:${port}\" }\n",
                        "3:19: proxy.routes./api: ${port} means a service's own port; here there is no service. Use ${services.NAME.port}."),
                Arguments.of(
                        "${services.NAME.port} of an unknown service",
                        "services:\n  api: { command: \"run ${services.apii.port}\", port: 8000 }\n",
                        "2:19: services.api.command: ${services.apii.port} names no service: there is no service 'apii' (did you mean 'api'?). Name a service under 'services'."),
                Arguments.of(
                        "a reference farm does not know",
                        "services:\n  api: { command: \"run ${project.name}\" }\n",
                        "2:19: services.api.command: '${project.name}' is not a reference farm knows: variables are letters, digits and '_'; the others are ${port}, ${name}, ${project.dir} and ${services.NAME.port}."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void reportsTheMistakeOnce(String title, String yaml, String expected) throws IOException {
        Path file = write("farm.yaml", yaml);

        ConfigException e = catchConfig(() -> load());

        assertThat(e).hasMessage(file + ":" + expected);
        assertThat(e.problems()).hasSize(1);
    }

    private FarmConfig load() {
        return ConfigSource.file(dir.resolve("farm.yaml"), OPTIONS).load();
    }

    private String projectDir() {
        return dir.toAbsolutePath().normalize().toString();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
