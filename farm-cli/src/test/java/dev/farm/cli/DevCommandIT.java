package dev.farm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.cli.internal.CliRunner;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm dev} in-process, with FixtureProcess services and a simulated Ctrl-C. */
@Timeout(120)
class DevCommandIT {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws Exception {
        if (cli.signals.armed()) {
            cli.signals.fire().join();
        }
        runner.shutdownNow();
        assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aServiceThatNeverBecomesReadyExitsFourWithOneMessage() throws Exception {
        int port = FixtureProcess.freePort();
        Path pids = Files.createDirectory(dir.resolve("pids"));
        write("""
                services:
                  api:
                    command: %s
                    ready: { tcp: %d, timeout: 1s }
                  web:
                    command: %s
                    depends_on: { api: ready }
                """.formatted(
                        yaml(FixtureProcess.builder().print("booting").pidDirectory(pids)),
                        port,
                        yaml(FixtureProcess.builder())));

        int code = cli.run("dev", "-C", dir.toString());

        assertThat(code).isEqualTo(4);
        assertThat(cli.err.toString())
                .isEqualTo("farm: service 'api' was not ready after 1s: a TCP connection to 127.0.0.1:" + port
                        + " should succeed, last attempt: connection refused. See the api output above, or raise"
                        + " services.api.ready.timeout.\n");
        assertThat(cli.out.toString()).contains("api  | booting").doesNotContain("starting web");
        assertThat(Files.readString(dir.resolve(".farm/logs/api.log")))
                .as("each service's output is also kept in .farm/logs")
                .endsWith(" out booting\n");
        assertThat(dir.resolve(".farm/state.json"))
                .as("farm stopped everything it started")
                .doesNotExist();
        assertThat(FixtureProcess.pids(pids)).isNotEmpty().noneMatch(FixtureProcess::isRunning);
        assertThat(cli.signals.armed()).isFalse();
    }

    @Test
    void ctrlCWhileAFailedStartIsCleanedUpStillReportsTheFailureOnce() throws Exception {
        Path pids = Files.createDirectory(dir.resolve("pids"));
        write("""
                services:
                  stubborn:
                    command: %s
                  broken:
                    command: %s
                    ready: { tcp: %d, timeout: 1s }
                """.formatted(
                        yaml(FixtureProcess.builder().ignoreSigterm().pidDirectory(pids)),
                        yaml(FixtureProcess.builder().pidDirectory(pids)),
                        FixtureProcess.freePort()));
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> cli.run("dev", "-C", dir.toString()), runner);
        // The stubborn service ignores SIGTERM, so the cleanup after the failed start waits out its stop timeout.
        await().atMost(Duration.ofSeconds(60)).until(() -> cli.out.toString().contains("farm     | stopping"));

        Thread signal = cli.signals.fire();

        assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(4);
        signal.join(60_000);
        assertThat(cli.signals.exitCode()).isEqualTo(4);
        assertThat(cli.err.toString().lines())
                .containsExactly("farm: service 'broken' was not ready after 1s: a TCP connection to 127.0.0.1:"
                        + cli.err.toString().split("127.0.0.1:")[1].split(" ")[0]
                        + " should succeed, last attempt: connection refused. See the broken output above, or raise"
                        + " services.broken.ready.timeout.");
        assertThat(FixtureProcess.pids(pids)).hasSize(2).noneMatch(FixtureProcess::isRunning);
    }

    @Test
    void ctrlCStopsEveryProcessOfEveryTreeAndExitsZero() throws Exception {
        Path pids = Files.createDirectory(dir.resolve("pids"));
        int apiPort = FixtureProcess.freePort();
        write("""
                services:
                  web:
                    command: %s
                    depends_on: { api: ready }
                  api:
                    command: %s
                    port: %d
                    ready: { http: /health }
                """.formatted(
                        yaml(FixtureProcess.builder().tree(3, 2).pidDirectory(pids)),
                        yaml(FixtureProcess.builder()
                                .listen(apiPort, Duration.ofMillis(300))
                                .pidDirectory(pids)),
                        apiPort));

        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> cli.run("dev", "-C", dir.toString()), runner);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> cli.out.toString().contains("all 2 services ready")
                        && FixtureProcess.pids(pids).size() == 8);
        List<Long> all = FixtureProcess.pids(pids);
        assertThat(all).allMatch(FixtureProcess::isRunning);
        String out = cli.out.toString();
        assertThat(out.indexOf("starting web")).isGreaterThan(out.indexOf("api ready in"));
        assertThat(out).contains("api ready in", "  http://127.0.0.1:" + apiPort);

        cli.signals.fire();

        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(all.stream().filter(FixtureProcess::isRunning).collect(Collectors.toList()))
                .as("processes still running after Ctrl-C")
                .isEmpty();
        assertThat(cli.out.toString()).contains("stopped web", "stopped api", "all services stopped");
        assertThat(cli.out.toString().indexOf("stopped api"))
                .isGreaterThan(cli.out.toString().indexOf("stopped web"));
        assertThat(cli.err.toString()).isEmpty();
    }

    private void write(String yaml) throws IOException {
        Files.writeString(dir.resolve("farm.yaml"), yaml);
    }

    /** A command as a YAML flow list, each argument JSON-quoted. */
    static String yaml(FixtureProcess.Builder fixture) {
        return fixture.command().stream()
                .map(arg -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
