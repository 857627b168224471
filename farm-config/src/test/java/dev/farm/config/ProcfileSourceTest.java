package dev.farm.config;

import static dev.farm.config.ConfigSourceTest.catchConfig;
import static org.assertj.core.api.Assertions.assertThat;

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

/** docs/config.md "Procfile": a project folder holding only a Procfile and maybe a .env. */
class ProcfileSourceTest {

    static final LoadOptions OPTIONS =
            LoadOptions.defaults().withEnvironment(Map.of()).withPortAllocator(() -> 45000);

    @TempDir
    Path dir;

    @Test
    void eachProcessTypeIsAServiceWithForemansPortAndTheDotEnv() throws IOException {
        write("Procfile", """
                # the app
                web: bundle exec puma -p $PORT -e ${RACK_ENV}
                worker: bundle exec sidekiq

                clock: ruby clock.rb
                """);
        write(".env", "RACK_ENV=development\nREDIS_URL=redis://127.0.0.1:6379\n");

        FarmConfig config = load();

        assertThat(config.name()).isEqualTo(dir.getFileName().toString());
        assertThat(config.source()).isEqualTo(dir.resolve("Procfile"));
        assertThat(config.services().keySet()).containsExactly("web", "worker", "clock");
        assertThat(config.services().get("web").command())
                .contains(new Command.Shell("bundle exec puma -p $PORT -e ${RACK_ENV}"));
        assertThat(config.services().get("clock").command()).contains(new Command.Shell("ruby clock.rb"));
        int port = 5000;
        for (ServiceConfig service : config.services().values()) {
            assertThat(service.kind()).isEqualTo(ServiceKind.PROCESS);
            assertThat(service.port()).hasValue(port);
            assertThat(service.autoPort()).isFalse();
            assertThat(service.workingDirectory()).isEqualTo(projectDir());
            assertThat(service.environment().values())
                    .containsEntry("PORT", Integer.toString(port))
                    .containsEntry("FARM_SERVICE_NAME", service.name())
                    .containsEntry("RACK_ENV", "development")
                    .containsEntry("REDIS_URL", "redis://127.0.0.1:6379");
            assertThat(service.environment().files())
                    .containsExactly(projectDir().resolve(".env"));
            port += 100;
        }
    }

    @Test
    void withoutADotEnvThereIsNoEnvFile() throws IOException {
        write("Procfile", "web: npm start\n");

        ServiceConfig web = load().services().get("web");

        assertThat(web.environment().files()).isEmpty();
        assertThat(web.environment().values()).containsEntry("PORT", "5000");
    }

    @Test
    void eachProcessGetsItsOwnPortEvenWhenTheDotEnvSetsOne() throws IOException {
        write("Procfile", "web: npm start\nworker: npm run worker\n");
        write(".env", "PORT=3000\n");

        FarmConfig config = load();

        assertThat(config.services().get("web").environment().values()).containsEntry("PORT", "5000");
        assertThat(config.services().get("worker").environment().values()).containsEntry("PORT", "5100");
    }

    @Test
    void commandsReachTheShellAsWritten() throws IOException {
        write("Procfile", """
                web: echo $$ > tmp/web.pid && exec server --home ${HOME_FOR_FARM_TEST:?} --user ${USER_FOR_FARM_TEST}
                """);

        ServiceConfig web = load().services().get("web");

        assertThat(web.command())
                .contains(new Command.Shell("echo $$ > tmp/web.pid && exec server --home ${HOME_FOR_FARM_TEST:?} --user"
                        + " ${USER_FOR_FARM_TEST}"));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "a line that is not name: command",
                        "web: npm start\nnpm run worker\n",
                        "2:1: expected name: command, found \"npm run worker\". Write the line as name: command, with a"
                                + " name of letters, digits, _ and - at the start of the line, or start it with # to"
                                + " make it a comment."),
                Arguments.of(
                        "an empty command",
                        "web: npm start\nworker:\n",
                        "2:8: worker: the command is empty. Write the command to run after the colon, such as worker:"
                                + " npm start, or remove the line."),
                Arguments.of(
                        "a repeated name",
                        "web: npm start\nweb: npm run dev\n",
                        "2:1: web: the process type 'web' is already declared on line 1. Rename one of them, or remove"
                                + " one."),
                Arguments.of(
                        "a name starting with _",
                        "web: npm start\n_internal: npm run internal\n",
                        "2:1: _internal: farm runs each process type as a service, and a service name starts with a"
                                + " letter or digit. Rename it, such as 'internal'."),
                Arguments.of(
                        "a name starting with -",
                        "-web: npm start\n",
                        "1:1: -web: farm runs each process type as a service, and a service name starts with a letter"
                                + " or digit. Rename it, such as 'web'."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void explainsTheMistakeWithLineAndColumn(String title, String procfile, String expected) throws IOException {
        Path file = write("Procfile", procfile);

        ConfigException e = catchConfig(this::load);

        assertThat(e).hasMessage(file + ":" + expected);
        String[] position = expected.split(":", 3);
        assertThat(e.problems().get(0).line()).isEqualTo(Integer.parseInt(position[0]));
        assertThat(e.problems().get(0).column()).isEqualTo(Integer.parseInt(position[1]));
    }

    @Test
    void aProcfileWithoutProcessesSaysSo() throws IOException {
        Path file = write("Procfile", "# nothing yet\n");

        ConfigException e = catchConfig(this::load);

        assertThat(e).hasMessage(file + ": declares no process type. Add a line such as 'web: npm start'.");
    }

    @Test
    void aProcfileWhoseEveryLineIsWrongSaysOnlyThat() throws IOException {
        Path file = write("Procfile", "_web: npm start\n");

        ConfigException e = catchConfig(this::load);

        assertThat(e.problems()).extracting(ConfigProblem::file).containsExactly(file);
    }

    @Test
    void aMistakeInTheDotEnvNamesTheDotEnv() throws IOException {
        write("Procfile", "web: npm start\n");
        write(".env", "RACK_ENV=development\nnot a variable\n");

        ConfigException e = catchConfig(this::load);

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(dir.resolve(".env"));
            assertThat(p.line()).isEqualTo(2);
        });
    }

    private FarmConfig load() {
        return ConfigSource.directory(dir, OPTIONS).load();
    }

    private Path projectDir() {
        return dir.toAbsolutePath().normalize();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
