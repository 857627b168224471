package dev.farm.cli;

import static dev.farm.cli.DevCommandIT.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.farm.cli.internal.ChangePipeline;
import dev.farm.cli.internal.ReplayingPorts;
import dev.farm.cli.internal.SpecTranslator;
import dev.farm.config.ConfigSource;
import dev.farm.config.FarmConfig;
import dev.farm.config.LoadOptions;
import dev.farm.process.LogLine;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import dev.farm.watch.ChangeBatch;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The change pipeline on a running stack of FixtureProcess services, fed batches as the watcher would send them. */
@Timeout(120)
class ChangePipelineIT {

    @TempDir
    Path dir;

    private final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> said = new CopyOnWriteArrayList<>();
    private final List<LogLine> lines = new CopyOnWriteArrayList<>();
    private ProcessSupervisor supervisor;
    private ChangePipeline pipeline;

    @AfterEach
    void close() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    /** Reads farm.yaml as farm dev does: port: auto gets the same ports every time. */
    private final ReplayingPorts ports = new ReplayingPorts();

    private FarmConfig load() {
        ports.rewind();
        return ConfigSource.directory(dir, LoadOptions.defaults().withPortAllocator(ports))
                .load();
    }

    private void run(String farmYaml) throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), farmYaml);
        FarmConfig config = load();
        supervisor = ProcessSupervisor.builder()
                .services(SpecTranslator.translate(config))
                .listener(events::add)
                .logSink(lines::add)
                .build();
        supervisor.start();
        pipeline = new ChangePipeline(config, supervisor, this::load, said::add, lines::add, Clock.systemUTC());
    }

    private static ChangeBatch batch(String rule, Path file) {
        return new ChangeBatch(rule, Set.of(), Set.of(file), Set.of(), false);
    }

    private List<String> starts() {
        return events.stream()
                .filter(e -> e.state() == ServiceState.STARTING)
                .map(ServiceEvent::service)
                .collect(Collectors.toList());
    }

    @Test
    void theRulesCoverEveryWatchEntryEveryEnvFileAndTheConfigFile() throws IOException {
        Files.writeString(dir.resolve(".env"), "A=1\n");
        run("""
                services:
                  api:
                    command: %s
                    env_file: .env
                    watch:
                      - { paths: ["src/**/*.py"], ignore: ["src/generated/**"], do: restart }
                """.formatted(yaml(FixtureProcess.builder())));

        List<WatchRule> rules = ChangePipeline.rules(pipeline.config());

        assertThat(rules)
                .extracting(WatchRule::name)
                .containsExactly("services.api.watch[0]", "services.api.env_file[0]", "config");
        assertThat(rules.get(0).globs()).containsExactly("src/**/*.py");
        assertThat(rules.get(0).ignore()).containsExactly("src/generated/**");
        assertThat(rules.get(1).base()).isEqualTo(dir.toAbsolutePath());
        assertThat(rules.get(1).globs()).containsExactly(".env");
        assertThat(rules.get(2).globs()).containsExactly("farm.yaml");
    }

    @Test
    void restartRestartsTheServiceAndWaitsForItToBeReady() throws IOException {
        run("""
                services:
                  api:
                    command: %s
                    watch: [ { paths: ["*.py"], do: restart } ]
                """.formatted(yaml(FixtureProcess.builder())));
        long before = supervisor.pid("api").orElseThrow();

        pipeline.changed(batch("services.api.watch[0]", dir.resolve("main.py")));

        assertThat(supervisor.pid("api").orElseThrow()).isNotEqualTo(before);
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
        assertThat(said).contains("api: main.py changed");
    }

    @Test
    void cascadeRestartsTheServiceThenItsDependentsInDependencyOrder() throws IOException {
        run("""
                services:
                  db:
                    command: %1$s
                    watch: [ { paths: ["schema.sql"], do: cascade } ]
                  api:
                    command: %1$s
                    depends_on: { db: ready }
                  worker:
                    command: %1$s
                    depends_on: { api: ready }
                  web:
                    command: %1$s
                """.formatted(yaml(FixtureProcess.builder())));
        long web = supervisor.pid("web").orElseThrow();
        events.clear();

        pipeline.changed(batch("services.db.watch[0]", dir.resolve("schema.sql")));

        assertThat(starts()).containsExactly("db", "api", "worker");
        assertThat(supervisor.pid("web")).as("not a dependent: left alone").hasValue(web);
    }

    @Test
    void runRunsACommandWithItsOutputInTheServiceLog() throws IOException {
        run("""
                services:
                  api:
                    command: %s
                    watch: [ { paths: ["*.py"], do: { run: %s } } ]
                """.formatted(
                        yaml(FixtureProcess.builder()),
                        yaml(FixtureProcess.builder().print("lint ok").exitAfterPrinting(0))));
        long before = supervisor.pid("api").orElseThrow();

        pipeline.changed(batch("services.api.watch[0]", dir.resolve("main.py")));

        assertThat(lines)
                .filteredOn(l -> l.service().equals("api"))
                .extracting(LogLine::text)
                .contains("lint ok");
        assertThat(said).anySatisfy(s -> assertThat(s).matches("api: .* exited with 0 after \\d+\\.\\ds"));
        assertThat(supervisor.pid("api")).as("run leaves the service alone").hasValue(before);
    }

    @Test
    void httpReloadsThroughTheServiceAndFallsBackToARestartWhenThatFails() throws IOException {
        int good = FixtureProcess.freePort();
        int bad = FixtureProcess.freePort();
        run("""
                services:
                  ai:
                    command: %s
                    port: %d
                    ready: { tcp: %d }
                    watch: [ { paths: ["*.py"], do: { http: POST /reload, fallback: restart } } ]
                  broken:
                    command: %s
                    port: %d
                    ready: { tcp: %d }
                    watch: [ { paths: ["*.py"], do: { http: POST /reload } } ]
                """.formatted(
                        yaml(FixtureProcess.builder().listen(good, Duration.ZERO)),
                        good,
                        good,
                        yaml(FixtureProcess.builder().listen(bad, Duration.ZERO).healthStatus(503)),
                        bad,
                        bad));
        long ai = supervisor.pid("ai").orElseThrow();
        long broken = supervisor.pid("broken").orElseThrow();

        pipeline.changed(batch("services.ai.watch[0]", dir.resolve("models.py")));
        pipeline.changed(batch("services.broken.watch[0]", dir.resolve("models.py")));

        assertThat(supervisor.pid("ai")).as("reloaded in place").hasValue(ai);
        assertThat(said).contains("ai: reloaded (POST /reload answered 200)");
        assertThat(said).contains("broken: POST /reload answered 503", "broken: falling back to restart");
        assertThat(supervisor.pid("broken").orElseThrow()).isNotEqualTo(broken);
    }

    @Test
    void httpReloadsAskInPlainHttp11AsUvicornWants() throws IOException {
        // uvicorn's h11 implementation (Debian's python3-uvicorn has no httptools) answers any request carrying an
        // Upgrade header other than websocket with 400; the JDK's HTTP/2 client sends "Upgrade: h2c" on plain http.
        HttpServer uvicorn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> upgrades = new CopyOnWriteArrayList<>();
        uvicorn.createContext("/reload", exchange -> {
            List<String> upgrade = exchange.getRequestHeaders().getOrDefault("Upgrade", List.of());
            upgrades.addAll(upgrade);
            exchange.sendResponseHeaders(upgrade.isEmpty() ? 200 : 400, -1);
            exchange.close();
        });
        uvicorn.start();
        try {
            int port = uvicorn.getAddress().getPort();
            run("""
                    services:
                      api:
                        kind: external
                        port: %d
                        ready: { tcp: %d }
                        watch: [ { paths: ["*.py"], do: { http: POST /reload, fallback: restart } } ]
                    """.formatted(port, port));

            pipeline.changed(batch("services.api.watch[0]", dir.resolve("models.py")));

            assertThat(upgrades).isEmpty();
            assertThat(said).contains("api: reloaded (POST /reload answered 200)");
        } finally {
            uvicorn.stop(0);
        }
    }

    @Test
    void aChangedEnvFileRestartsTheServiceWithTheNewValues() throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, "GREETING=hello\n");
        run("""
                services:
                  api:
                    command: %s
                    env_file: .env
                """.formatted(yaml(FixtureProcess.builder())));
        long before = supervisor.pid("api").orElseThrow();
        Files.writeString(env, "GREETING=bonjour\n");

        pipeline.changed(batch("services.api.env_file[0]", env));

        long after = supervisor.pid("api").orElseThrow();
        assertThat(after).isNotEqualTo(before);
        // /proc/PID/environ reads empty until the new process's exec (setsid → java) has finished
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                java.nio.file.Files.readString(Path.of("/proc", Long.toString(after), "environ")))
                        .contains("GREETING=bonjour"));
    }

    @Test
    void anEditedConfigRestartsOnlyTheServicesWhoseConfigChanged() throws IOException {
        String config = """
                services:
                  api:
                    command: %s
                  web:
                    command: %s
                    port: auto
                """;
        run(config.formatted(yaml(FixtureProcess.builder().print("v1")), yaml(FixtureProcess.builder())));
        long web = supervisor.pid("web").orElseThrow();
        long api = supervisor.pid("api").orElseThrow();
        Files.writeString(
                dir.resolve("farm.yaml"),
                config.formatted(yaml(FixtureProcess.builder().print("v2")), yaml(FixtureProcess.builder())));

        pipeline.changed(batch("config", dir.resolve("farm.yaml")));

        assertThat(supervisor.pid("api").orElseThrow()).isNotEqualTo(api);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> lines.stream()
                        .anyMatch(l -> l.service().equals("api") && l.text().equals("v2")));
        assertThat(supervisor.pid("web")).as("its config did not change").hasValue(web);
        assertThat(said).anySatisfy(s -> assertThat(s).endsWith("changed: restarting api"));
    }

    @Test
    void aConfigWithMistakesIsReportedAndChangesNothing() throws IOException {
        run("""
                services:
                  api:
                    command: %s
                """.formatted(yaml(FixtureProcess.builder())));
        long api = supervisor.pid("api").orElseThrow();
        Files.writeString(dir.resolve("farm.yaml"), "services:\n  api:\n    port: 80a\n");

        pipeline.changed(batch("config", dir.resolve("farm.yaml")));

        assertThat(supervisor.pid("api")).hasValue(api);
        assertThat(said)
                .anySatisfy(s -> assertThat(s)
                        .startsWith("warning: ")
                        .contains("changed but has mistakes; the stack goes on as it was")
                        .contains("services.api.port"));
    }
}
