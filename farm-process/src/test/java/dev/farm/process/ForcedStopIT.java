package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a terminal shows while farm waits: readiness waits, a forced stop, and the exit farm's own signal causes. */
@Timeout(120)
class ForcedStopIT {

    @TempDir
    Path dir;

    private Harness h;
    private final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeEach
    void harness() {
        h = new Harness(dir);
    }

    @AfterEach
    void close() throws InterruptedException {
        h.close();
        background.shutdownNow();
        assertThat(background.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whileTheProbeFailsWaitingNamesTheProbeTheLastAttemptAndSinceWhen() throws Exception {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(h.fixture("api", FixtureProcess.builder())
                .readiness(Probes.tcp(port))
                .readyTimeout(Duration.ofSeconds(60))
                .build());
        assertThat(supervisor.waiting("api")).as("before start").isEmpty();
        CompletableFuture<Void> started = CompletableFuture.runAsync(supervisor::start, background);

        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        supervisor.waiting("api").filter(w -> w.attempts() > 0).isPresent());
        ReadinessWait wait = supervisor.waiting("api").orElseThrow();
        assertThat(wait.service()).isEqualTo("api");
        assertThat(wait.probe()).isEqualTo("a TCP connection to 127.0.0.1:" + port + " should succeed");
        assertThat(wait.lastAttempt()).isEqualTo("connection refused");
        assertThat(wait.since())
                .isAfterOrEqualTo(h.awaitEvent("api", ServiceState.STARTING).time());

        try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            started.get(30, TimeUnit.SECONDS);
            assertThat(supervisor.waiting("api")).as("once ready").isEmpty();
        }
    }

    @Test
    void killWhileCloseWaitsOutAStubbornServiceEndsEveryTreeAtOnce() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder().ignoreSigterm().pidDirectory(pids))
                        .stopTimeout(Duration.ofSeconds(60))
                        .build(),
                h.fixture(
                                "api",
                                FixtureProcess.builder()
                                        .ignoreSigterm()
                                        .tree(2, 2)
                                        .pidDirectory(pids))
                        .dependsOn("db", DependencyCondition.STARTED)
                        .stopTimeout(Duration.ofSeconds(60))
                        .build());
        supervisor.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> FixtureProcess.pids(pids).size() == 4);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(supervisor::close, background);
        h.awaitEvent("api", ServiceState.STOPPING); // db waits for api, which ignores SIGTERM for 60 s
        long begin = System.nanoTime();

        supervisor.kill();

        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(15));
        assertThat(closing).succeedsWithin(Duration.ofSeconds(15));
        assertThat(FixtureProcess.pids(pids)).hasSize(4).noneMatch(FixtureProcess::isRunning);
        assertThat(h.states("api")).last().isEqualTo(ServiceState.STOPPED);
        assertThat(h.states("db")).last().isEqualTo(ServiceState.STOPPED);
        assertThat(h.states("db")).doesNotContain(ServiceState.FAILED, ServiceState.RESTARTING);
    }

    @Test
    void killBeforeAnyCloseStopsEverythingAndClosesTheSupervisor() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("api", FixtureProcess.builder().ignoreSigterm().pidDirectory(pids))
                        .stopTimeout(Duration.ofSeconds(60))
                        .restart(RestartPolicy.always(5, Duration.ofMillis(10), Duration.ofMillis(10)))
                        .build());
        supervisor.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> FixtureProcess.pids(pids).size() == 1);

        supervisor.kill();

        assertThat(FixtureProcess.pids(pids)).hasSize(1).noneMatch(FixtureProcess::isRunning);
        assertThat(h.states("api")).last().isEqualTo(ServiceState.STOPPED);
        assertThat(h.states("api")).doesNotContain(ServiceState.RESTARTING);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> supervisor.restart("api"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("supervisor is closed");
    }

    @Test
    void aServiceEndedByFarmsOwnStopSignalIsStoppedNotFailedWhateverItsExitCode() {
        // 143 is how a JVM ends on SIGTERM; 1 is a server that reports the signal as an error.
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("jvm", FixtureProcess.builder().print("up"))
                        .readiness(Probes.logLine("^up$"))
                        .restart(RestartPolicy.always(5, Duration.ofMillis(10), Duration.ofMillis(10)))
                        .build(),
                h.fixture("grumpy", FixtureProcess.builder().exitOnStop(1).print("up"))
                        .readiness(Probes.logLine("^up$"))
                        .restart(RestartPolicy.onFailure(5, Duration.ofMillis(10), Duration.ofMillis(10)))
                        .build());
        supervisor.start();

        supervisor.close();

        for (String service : new String[] {"jvm", "grumpy"}) {
            assertThat(h.states(service))
                    .as(service)
                    .endsWith(ServiceState.STOPPING, ServiceState.STOPPED)
                    .doesNotContain(ServiceState.FAILED, ServiceState.EXITED, ServiceState.RESTARTING);
        }
        assertThat(supervisor.status("jvm").exitCode()).hasValue(143);
        assertThat(supervisor.status("grumpy").exitCode()).hasValue(1);
        assertThat(supervisor.status("grumpy").state()).isEqualTo(ServiceState.STOPPED);
    }
}
