package dev.farm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed file gives exactly one message, with its line, column, key path, what was found and what to do. */
class MalformedConfigTest {

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "syntax error",
                        "services:\n  api:\n    command: run\n   port: 8000\n",
                        "4:4: not valid YAML: this line is indented differently from the lines before it. Check the"
                                + " indentation and quoting on this line and the one before."),
                Arguments.of(
                        "colon in a plain value",
                        "services:\n  api:\n    command: echo a: b\n",
                        "3:20: not valid YAML: a ':' where a value was expected (quote values that contain ': ')."
                                + " Check the indentation and quoting on this line and the one before."),
                Arguments.of(
                        "tab indentation",
                        "services:\n\tapi: { command: run }\n",
                        "2:1: not valid YAML: a tab character; YAML indents with spaces only. Check the indentation"
                                + " and quoting on this line and the one before."),
                Arguments.of(
                        "empty file",
                        "",
                        "the file is empty. Declare at least one service under 'services:' (examples/hello/farm.yaml"
                                + " shows the shape)."),
                Arguments.of(
                        "top level is a list",
                        "- api\n",
                        "1:1: expected a mapping with a 'services' key at the top of the file, found a list. Start the"
                                + " file with 'services:'."),
                Arguments.of(
                        "no services",
                        "name: shop\n",
                        "1:1: services: missing. Declare the services to run, for example 'services: { api: {"
                                + " command: ... } }'."),
                Arguments.of(
                        "unknown top-level key",
                        "service:\n  api: { command: run }\n",
                        "1:1: service: unknown key 'service'. Did you mean 'services'?"),
                Arguments.of(
                        "unknown service key with suggestion",
                        "services:\n  api:\n    command: run\n    depend_on: { db: ready }\n  db: { command: run }\n",
                        "4:5: services.api.depend_on: unknown key 'depend_on'. Did you mean 'depends_on'?"),
                Arguments.of(
                        "unknown service key without suggestion",
                        "services:\n  api:\n    command: run\n    replicas: 2\n",
                        "4:5: services.api.replicas: unknown key 'replicas'. Known keys here: command, cwd, env, port,"
                                + " ready, depends_on."),
                Arguments.of(
                        "missing command",
                        "services:\n  api:\n    port: 8000\n",
                        "2:3: services.api.command: missing. Say what to run, as a string (run by /bin/sh -c) or a"
                                + " list (run directly)."),
                Arguments.of(
                        "command is a mapping",
                        "services:\n  api:\n    command: { run: x }\n",
                        "3:14: services.api.command: expected a string (run by /bin/sh -c) or a list of arguments"
                                + " (run directly), found a mapping."),
                Arguments.of(
                        "port not a number",
                        "services:\n  api:\n    command: run\n    port: 80a\n",
                        "4:11: services.api.port: expected an integer 1-65535, found \"80a\". Fix the value, or"
                                + " remove the key if the service listens on no port."),
                Arguments.of(
                        "port out of range",
                        "services:\n  api:\n    command: run\n    port: 70000\n",
                        "4:11: services.api.port: expected an integer 1-65535, found 70000. Fix the value, or remove"
                                + " the key if the service listens on no port."),
                Arguments.of(
                        "ready with neither probe",
                        "services:\n  api:\n    command: run\n    ready: { timeout: 5s }\n",
                        "4:12: services.api.ready: says neither 'tcp: PORT' nor 'http: PATH'. Add one of them."),
                Arguments.of(
                        "http probe without a port",
                        "services:\n  api:\n    command: run\n    ready: { http: /health }\n",
                        "4:14: services.api.ready.http: farm needs the service's port to send this request. Add"
                                + " 'port: PORT' to the service."),
                Arguments.of(
                        "http path without slash",
                        "services:\n  api:\n    command: run\n    port: 80\n    ready: { http: health }\n",
                        "5:20: services.api.ready.http: expected a path starting with '/', such as /health, found"
                                + " \"health\"."),
                Arguments.of(
                        "timeout without unit",
                        "services:\n  api:\n    command: run\n    ready: { tcp: 80, timeout: 30 }\n",
                        "4:32: services.api.ready.timeout: expected a duration such as 500ms, 30s or 2m, found 30."
                                + " Add the unit."),
                Arguments.of(
                        "unknown dependency",
                        "services:\n  api: { command: run }\n  web:\n    command: run\n    depends_on: { apii: ready }\n",
                        "5:19: services.web.depends_on.apii: no service named 'apii' (did you mean 'api'?). Declare"
                                + " it under 'services', or remove this dependency."),
                Arguments.of(
                        "bad condition",
                        "services:\n  api: { command: run }\n  web:\n    command: run\n    depends_on: { api: healthy }\n",
                        "5:24: services.web.depends_on.api: expected one of started, ready, found \"healthy\"."),
                Arguments.of(
                        "self dependency",
                        "services:\n  api:\n    command: run\n    depends_on: { api: ready }\n",
                        "4:19: services.api.depends_on.api: a service cannot depend on itself. Remove this"
                                + " dependency."),
                Arguments.of(
                        "cycle",
                        "services:\n  a: { command: run, depends_on: { b: ready } }\n"
                                + "  b: { command: run, depends_on: { c: ready } }\n"
                                + "  c: { command: run, depends_on: { a: started } }\n",
                        "2:36: services.a.depends_on.b: dependency cycle a → b → c → a. Remove one of these"
                                + " dependencies so the services can start in order."),
                Arguments.of(
                        "duplicate service",
                        "services:\n  api: { command: run }\n  api: { command: other }\n",
                        "3:3: services.api: duplicate key 'api' (first defined at line 2). Remove one of the two;"
                                + " farm uses the first."),
                Arguments.of(
                        "missing cwd",
                        "services:\n  api:\n    command: run\n    cwd: apps/nope\n",
                        "4:10: services.api.cwd: folder {dir}/apps/nope does not exist. Create it or fix the path (a"
                                + " relative path starts at the project folder)."),
                Arguments.of(
                        "env value is a list",
                        "services:\n  api:\n    command: run\n    env:\n      HOSTS: [a, b]\n",
                        "5:14: services.api.env.HOSTS: expected a value (a string, number or boolean), found a list."),
                Arguments.of(
                        "alias",
                        "x: &cmd java Api.java\nservices:\n  api:\n    command: *cmd\n",
                        "1:1: x: unknown key 'x'. Known keys here: name, services.\n{file}:4:14: services.api.command:"
                                + " YAML aliases (*cmd) are not supported. Write the value out in full."),
                Arguments.of(
                        "second document",
                        "services:\n  api: { command: run }\n---\nservices:\n  web: { command: run }\n",
                        "4:1: a second YAML document starts here (after '---'); farm reads only the first. Move its"
                                + " content into the first document, or remove the '---'."),
                Arguments.of(
                        "variable name with =",
                        "services:\n  api:\n    command: run\n    env: { \"A=B\": x }\n",
                        "4:12: services.api.env.A=B: not a valid variable name: it is empty or holds '=' or a NUL"
                                + " character. Rename it."),
                Arguments.of(
                        "bad service name",
                        "services:\n  my api: { command: run }\n",
                        "2:3: services.my api: a service name uses letters, digits, '.', '_' and '-', and starts with"
                                + " a letter or digit. Rename the service."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainsTheMistake(String title, String yaml, String expected) throws IOException {
        Path file = dir.resolve("farm.yaml");
        Files.writeString(file, yaml);
        String prefix = expected.matches("(?s)^\\d+:\\d+: .*") ? file + ":" : file + ": ";

        assertThatThrownBy(() -> ConfigSource.file(file).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage(prefix
                        + expected.replace(
                                        "{dir}",
                                        dir.toAbsolutePath().normalize().toString())
                                .replace("{file}", file.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void carriesLineAndColumnApart(String title, String yaml, String expected) throws IOException {
        Path file = dir.resolve("farm.yaml");
        Files.writeString(file, yaml);
        ConfigException e =
                ConfigSourceTest.catchConfig(() -> ConfigSource.file(file).load());

        assertThat(e.problems()).hasSize(expected.split("\n").length);
        ConfigProblem problem = e.problems().get(0);
        if (expected.matches("(?s)^\\d+:\\d+: .*")) {
            String[] position = expected.split(":", 3);
            assertThat(problem.line()).isEqualTo(Integer.parseInt(position[0]));
            assertThat(problem.column()).isEqualTo(Integer.parseInt(position[1]));
        } else {
            assertThat(problem.line()).isZero();
        }
    }
}
