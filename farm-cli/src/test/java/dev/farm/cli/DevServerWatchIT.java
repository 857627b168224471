package dev.farm.cli;

import static dev.farm.cli.DevCommandIT.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.config.FarmConfig;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DevServer with its real watcher: a saved file does the right thing, once. */
@Timeout(120)
class DevServerWatchIT {

    @TempDir
    Path dir;

    private StackUnderTest stack;
    private DevServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private StackUnderTest stack() {
        if (stack == null) {
            stack = new StackUnderTest(dir);
        }
        return stack;
    }

    private FarmConfig load() {
        return stack().load();
    }

    private void start(String farmYaml) throws IOException {
        server = stack().start(farmYaml);
    }

    private String printed() {
        return stack().printed();
    }

    /** Saves a file the way editors do: write a temporary file, then rename it over the original. */
    private static void atomicSave(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp~");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void savingAWatchedFileRestartsTheServiceOnceAndAnIdenticalSaveDoesNothing() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/models")).resolve("user.py");
        Files.writeString(source, "v = 1\n");
        start("""
                services:
                  api:
                    command: %s
                    watch: [ { paths: ["src/**/*.py"], do: restart } ]
                """.formatted(yaml(FixtureProcess.builder())));
        long first = server.pid("api").orElseThrow();

        atomicSave(source, "v = 2\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> server.status("api").incarnation() == 2);
        assertThat(server.pid("api").orElseThrow()).isNotEqualTo(first);
        assertThat(printed()).contains("api: user.py changed");

        atomicSave(source, "v = 2\n"); // same content
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        atomicSave(source, "v = 3\n"); // the change after them is what proves the watcher saw the others

        await().atMost(Duration.ofSeconds(30)).until(() -> server.status("api").incarnation() == 3);
        assertThat(printed()
                        .lines()
                        .filter(l -> l.contains("api: user.py changed"))
                        .count())
                .as("the identical save and the touch restarted nothing")
                .isEqualTo(2);
    }

    @Test
    void editingFarmYamlRestartsOnlyTheServiceWhoseConfigChanged() throws IOException {
        String config = """
                services:
                  api:
                    command: %s
                  web:
                    command: %s
                    port: auto
                """;
        start(config.formatted(yaml(FixtureProcess.builder().print("v1")), yaml(FixtureProcess.builder())));
        long web = server.pid("web").orElseThrow();
        long api = server.pid("api").orElseThrow();

        atomicSave(
                dir.resolve("farm.yaml"),
                config.formatted(yaml(FixtureProcess.builder().print("v2")), yaml(FixtureProcess.builder())));

        await().atMost(Duration.ofSeconds(30)).until(() -> printed().contains("api  | v2"));
        assertThat(server.pid("api").orElseThrow()).isNotEqualTo(api);
        assertThat(server.pid("web")).hasValue(web);
    }

    @Test
    void aRuleWhoseActionWritesItsOwnInputsIsPausedWithAWarning() throws IOException {
        Path stamp = dir.resolve("stamp.txt");
        Files.writeString(stamp, "0\n");
        start("""
                services:
                  api:
                    command: %s
                    watch: [ { paths: ["stamp.txt"], do: { run: ["sh", "-c", "date +%%s%%N > stamp.txt"] } } ]
                """.formatted(yaml(FixtureProcess.builder())));

        Files.writeString(stamp, "1\n");

        await().atMost(Duration.ofSeconds(60)).until(() -> printed().contains("keeps firing"));
        assertThat(printed()).contains("stamp.txt").contains("paused");
    }

    @Test
    void noWatchMeansNoWatcherAtAll() throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), """
                services:
                  api:
                    command: %s
                    watch: [ { paths: ["*.py"], do: restart } ]
                """.formatted(yaml(FixtureProcess.builder())));
        java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        DevServer.Builder builder = DevServer.builder(load()).watch(false);
        server = new DevServer(builder) {
            @Override
            protected dev.farm.watch.ChangeWatcher createWatcher(
                    FarmConfig config, java.util.List<dev.farm.watch.WatchRule> rules) {
                created.incrementAndGet();
                return super.createWatcher(config, rules);
            }
        };

        server.start();

        assertThat(created).hasValue(0);
    }
}
