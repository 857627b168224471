package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Daemons, external services and adoption, on real processes. */
@Timeout(120)
class KindsIT {

    @TempDir
    Path dir;

    private Harness h;

    @BeforeEach
    void harness() {
        h = new Harness(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private ServiceSpec daemon(Path pidFile, int port) {
        return h.fixture(
                        "db",
                        FixtureProcess.builder()
                                .listen(port, Duration.ofMillis(200))
                                .daemonize(pidFile))
                .daemon(FixtureProcess.builder().stopPidFile(pidFile).command())
                .readiness(Probes.tcp(port))
                .liveness(new Liveness(Probes.tcp(port), Duration.ofMillis(100), 2))
                .restart(RestartPolicy.onFailure(1, Duration.ZERO, Duration.ZERO))
                .build();
    }

    @Test
    void aDaemonWhoseStartCommandForksAndExitsIsReadyByItsProbeAndStoppedByItsStopCommand() throws IOException {
        Path pidFile = dir.resolve("db.pid");
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(daemon(pidFile, port));

        supervisor.start();

        long daemon = FixtureProcess.readPid(pidFile);
        assertThat(FixtureProcess.isRunning(daemon)).isTrue();
        ServiceEvent starting = h.of("db").get(0);
        assertThat(FixtureProcess.isRunning(starting.pid().getAsLong()))
                .as("the start command has exited")
                .isFalse();
        assertThat(supervisor.status("db").kind()).isEqualTo(ServiceKind.DAEMON);

        supervisor.close();

        assertThat(FixtureProcess.isRunning(daemon)).isFalse();
        assertThat(Files.exists(pidFile))
                .as("the stop command removed its pid file")
                .isFalse();
        assertThat(h.states("db"))
                .containsExactly(
                        ServiceState.STARTING, ServiceState.READY, ServiceState.STOPPING, ServiceState.STOPPED);
    }

    @Test
    void aDaemonThatDiesIsSeenByItsLivenessProbeAndStartedAgain() throws IOException {
        Path pidFile = dir.resolve("db.pid");
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(daemon(pidFile, port));
        supervisor.start();
        long first = FixtureProcess.readPid(pidFile);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        h.awaitEvent("db", ServiceState.READY, 2);
        long second = FixtureProcess.readPid(pidFile);
        assertThat(second).isNotEqualTo(first);
        assertThat(FixtureProcess.isRunning(second)).isTrue();
        assertThat(supervisor.status("db").restarts()).isEqualTo(1);
    }

    @Test
    void aDaemonWhoseStartCommandFailsFailsWithItsOutput() {
        ProcessSupervisor supervisor = h.supervisor(h.fixture(
                        "db",
                        FixtureProcess.builder()
                                .printErr("initdb: directory exists")
                                .exitAfterPrinting(1))
                .daemon(FixtureProcess.builder().command())
                .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOfSatisfying(
                        ServiceStartException.class,
                        e -> assertThat(e.lastLines()).containsExactly("initdb: directory exists"))
                .hasMessage("service 'db': its start command exited with code 1. Its last lines are above.");
    }

    @Test
    void anAlreadyListeningServiceIsAdoptedAndNeverStopped() throws Exception {
        int port = FixtureProcess.freePort();
        Process running = new ProcessBuilder(
                        FixtureProcess.builder().listen(port, Duration.ZERO).command())
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Probes.tcp(port).check().passed());
            ProcessSupervisor supervisor = h.supervisor(
                    h.fixture(
                                    "ollama",
                                    FixtureProcess.builder()
                                            .printErr("would clash")
                                            .exit(9, Duration.ZERO))
                            .port(port)
                            .readiness(Probes.tcp(port))
                            .adopt(true)
                            .build(),
                    h.fixture("api", FixtureProcess.builder())
                            .dependsOn("ollama", DependencyCondition.READY)
                            .build());

            supervisor.start();

            assertThat(supervisor.status("ollama").adopted()).isTrue();
            assertThat(h.of("ollama").get(0).message())
                    .isEqualTo("adopted: a TCP connection to 127.0.0.1:" + port
                            + " should succeed passed before farm started it");
            assertThat(supervisor.pid("ollama")).as("farm started nothing").isEmpty();
            assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);

            supervisor.close();

            assertThat(running.isAlive()).isTrue();
            assertThat(h.of("ollama").get(h.of("ollama").size() - 1).message())
                    .isEqualTo("left running: farm adopted it and does not own it");
        } finally {
            running.destroyForcibly();
        }
    }

    @Test
    void withNothingToAdoptFarmStartsItsOwn() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("ollama", FixtureProcess.builder().listen(port, Duration.ofMillis(100)))
                        .port(port)
                        .readiness(Probes.tcp(port))
                        .adopt(true)
                        .build());

        supervisor.start();

        assertThat(supervisor.status("ollama").adopted()).isFalse();
        long pid = supervisor.pid("ollama").orElseThrow();
        supervisor.close();
        assertThat(FixtureProcess.isRunning(pid)).isFalse();
    }

    @Test
    void anExternalServiceIsOnlyProbed() throws IOException {
        try (ServerSocket database = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = database.getLocalPort();
            ProcessSupervisor supervisor = h.supervisor(
                    ServiceSpec.external("postgres").readiness(Probes.tcp(port)).build(),
                    h.fixture("api", FixtureProcess.builder())
                            .dependsOn("postgres", DependencyCondition.READY)
                            .build());

            supervisor.start();

            assertThat(supervisor.state("postgres")).isEqualTo(ServiceState.READY);
            assertThat(supervisor.status("postgres").incarnation()).isZero();
            supervisor.close();
            assertThat(h.of("postgres").get(h.of("postgres").size() - 1)).satisfies(e -> {
                assertThat(e.state()).isEqualTo(ServiceState.STOPPED);
                assertThat(e.message()).isEqualTo("left running: farm does not own it");
            });
            assertThat(database.isClosed()).isFalse();
        }
    }

    @Test
    void anExternalServiceThatNeverAnswersFailsNamingItsProbe() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(ServiceSpec.external("postgres")
                .readiness(Probes.tcp(port))
                .readyTimeout(Duration.ofMillis(300))
                .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ProbeTimeoutException.class)
                .hasMessage("service 'postgres' was not ready after 300ms: a TCP connection to 127.0.0.1:" + port
                        + " should succeed, last attempt: connection refused.");
    }

    @Test
    void aBusyPortIsNamedWithItsHolderUnlessTheServiceAdoptsIt() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = holder.getLocalPort();
            ProcessSupervisor supervisor = h.supervisor(h.fixture("api", FixtureProcess.builder())
                    .port(port)
                    .readiness(Probes.http(port, "/health"))
                    .adopt(true)
                    .build());

            assertThatThrownBy(supervisor::start)
                    .isInstanceOf(ServiceStartException.class)
                    .hasMessageStartingWith("service 'api' cannot start: port " + port + " is already in use by pid "
                            + ProcessHandle.current().pid() + " (");
        }
    }
}
