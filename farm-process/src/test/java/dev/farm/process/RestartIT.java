package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farm.process.spi.HealthProbe;
import dev.farm.process.spi.ProbeResult;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Restart policies, liveness and the budget, on real processes. */
@Timeout(120)
class RestartIT {

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

    /** A liveness probe the test switches off and on. */
    private static final class Switch implements HealthProbe {
        final AtomicBoolean alive = new AtomicBoolean(true);

        @Override
        public ProbeResult check() {
            return alive.get() ? ProbeResult.pass() : ProbeResult.fail("switched off");
        }

        @Override
        public String description() {
            return "the switch should be on";
        }
    }

    @Test
    void aCrashingServiceIsRestartedUpToMaxThenFailsWithItsLastTwentyStderrLines() {
        FixtureProcess.Builder crash = FixtureProcess.builder().print("on stdout");
        IntStream.rangeClosed(1, 25).forEach(i -> crash.printErr("error " + i));
        crash.exit(1, Duration.ofMillis(50));
        ProcessSupervisor supervisor = h.supervisor(h.fixture("api", crash)
                .restart(RestartPolicy.onFailure(2, Duration.ofMillis(10), Duration.ofMillis(40)))
                .build());

        supervisor.start();

        ServiceEvent failed = h.awaitEvent("api", ServiceState.FAILED);
        assertThat(failed.lastLines())
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(6, 25).mapToObj(i -> "error " + i).collect(Collectors.toList()));
        assertThat(failed.message())
                .isEqualTo("service 'api' failed: it ended 3 times in a row and restart.max is 2 (last time: exited"
                        + " with code 1). Its last lines are above.");
        assertThat(failed.incarnation()).isEqualTo(3);
        List<ServiceEvent> restarting = h.of("api").stream()
                .filter(e -> e.state() == ServiceState.RESTARTING)
                .collect(Collectors.toList());
        assertThat(restarting)
                .extracting(ServiceEvent::message)
                .containsExactly(
                        "restart 1 of 2 in 10 ms (exited with code 1)", "restart 2 of 2 in 20 ms (exited with code 1)");
        List<ServiceEvent> starts = h.of("api").stream()
                .filter(e -> e.state() == ServiceState.STARTING)
                .collect(Collectors.toList());
        assertThat(starts).extracting(ServiceEvent::incarnation).containsExactly(1, 2, 3);
        assertThat(starts.stream().map(e -> e.pid().getAsLong()).distinct().count())
                .as("every incarnation is a new process")
                .isEqualTo(3);
        assertThat(starts.get(1).processStart().orElseThrow())
                .isAfter(starts.get(0).processStart().orElseThrow());
        assertThat(supervisor.status("api").restarts()).isEqualTo(2);
    }

    @Test
    void alwaysRestartsEvenASuccessfulExit() {
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("job", FixtureProcess.builder().exit(0, Duration.ZERO))
                        .restart(RestartPolicy.always(2, Duration.ZERO, Duration.ZERO))
                        .build());

        supervisor.start();

        h.awaitEvent("job", ServiceState.FAILED);
        assertThat(h.count("job", ServiceState.STARTING)).isEqualTo(3);
        assertThat(h.count("job", ServiceState.EXITED)).isZero();
    }

    @Test
    void onFailureLeavesASuccessfulExitAlone() {
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("job", FixtureProcess.builder().exit(0, Duration.ZERO))
                        .restart(RestartPolicy.onFailure(5, Duration.ZERO, Duration.ZERO))
                        .build());

        supervisor.start();

        h.awaitEvent("job", ServiceState.EXITED);
        assertThat(h.count("job", ServiceState.STARTING)).isEqualTo(1);
    }

    @Test
    void aServiceThatIsNotReadyInTimeFailsAtOnceWithItsTreeStopped() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("api", FixtureProcess.builder().print("booting"))
                        .readiness(Probes.tcp(port))
                        .readyTimeout(Duration.ofMillis(300))
                        .restart(RestartPolicy.onFailure(5, Duration.ZERO, Duration.ZERO))
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ProbeTimeoutException.class)
                .hasMessage("service 'api' was not ready after 300ms: a TCP connection to 127.0.0.1:" + port
                        + " should succeed, last attempt: connection refused.");

        assertThat(h.states("api")).containsExactly(ServiceState.STARTING, ServiceState.FAILED);
        long pid = h.of("api").get(0).pid().getAsLong();
        assertThat(FixtureProcess.isRunning(pid)).isFalse();
    }

    @Test
    void aServiceThatCrashesBeforeItIsReadyIsRestarted() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("api", FixtureProcess.builder().printErr("no config").exit(2, Duration.ZERO))
                        .readiness(Probes.tcp(port))
                        .restart(RestartPolicy.onFailure(2, Duration.ZERO, Duration.ZERO))
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessage("service 'api' failed: it ended 3 times in a row and restart.max is 2 (last time: exited"
                        + " with code 2 before it was ready). Its last lines are above.");
        assertThat(h.count("api", ServiceState.STARTING)).isEqualTo(3);
    }

    @Test
    void livenessFailuresRestartTheServiceUpToMax() {
        Switch probe = new Switch();
        ProcessSupervisor supervisor = h.supervisor(h.fixture("api", FixtureProcess.builder())
                .liveness(new Liveness(probe, Duration.ofMillis(30), 3))
                .restart(RestartPolicy.onFailure(1, Duration.ZERO, Duration.ZERO))
                .build());
        supervisor.start();
        long first = supervisor.pid("api").orElseThrow();

        probe.alive.set(false);
        ServiceEvent stopping = h.awaitEvent("api", ServiceState.STOPPING);
        assertThat(stopping.message())
                .isEqualTo(
                        "stopped answering: the switch should be on, 3 attempts in a row failed, last: switched off");
        h.awaitEvent("api", ServiceState.STARTING, 2);
        assertThat(FixtureProcess.isRunning(first))
                .as("the dead incarnation's tree is gone")
                .isFalse();

        ServiceEvent failed = h.awaitEvent("api", ServiceState.FAILED);
        assertThat(failed.message()).contains("restart.max is 1 (last time: stopped answering");
        assertThat(FixtureProcess.isRunning(failed.pid().getAsLong())).isFalse();
        assertThat(h.count("api", ServiceState.READY)).isEqualTo(2);
    }

    @Test
    void aStopDuringTheBackoffCancelsTheRestartForGood() {
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("api", FixtureProcess.builder().exit(1, Duration.ZERO))
                        .restart(RestartPolicy.onFailure(5, Duration.ofSeconds(20), Duration.ofSeconds(20)))
                        .build());
        supervisor.start();
        h.awaitEvent("api", ServiceState.RESTARTING);

        CompletableFuture<Void> stopped = supervisor.stop("api");

        assertThat(stopped).succeedsWithin(Duration.ofSeconds(5));
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.STOPPED);
        assertThat(h.states("api"))
                .containsExactly(
                        ServiceState.STARTING, ServiceState.READY, ServiceState.RESTARTING, ServiceState.STOPPED);
        assertThat(supervisor.status("api").incarnation())
                .as("its loop has ended: no later restart can come")
                .isEqualTo(1);
    }

    @Test
    void aRestartWhilePendingOnADependencyMakesNoSecondStart() throws Exception {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder().listen(port, Duration.ofMillis(1200)))
                        .readiness(Probes.tcp(port))
                        .build(),
                h.fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        CompletableFuture<Void> started = CompletableFuture.runAsync(supervisor::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.count("db", ServiceState.STARTING) == 1);
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.PENDING);

        CompletableFuture<Void> restarted = supervisor.restart("api");
        CompletableFuture<Void> again = supervisor.restart("api");

        started.get(30, TimeUnit.SECONDS);
        assertThat(restarted).succeedsWithin(Duration.ofSeconds(10));
        assertThat(again).succeedsWithin(Duration.ofSeconds(10));
        assertThat(h.states("api")).containsExactly(ServiceState.STARTING, ServiceState.READY);
        assertThat(supervisor.status("api").incarnation()).isEqualTo(1);
    }

    @Test
    void aManualRestartStartsANewIncarnationAtOnceWithoutUsingTheBudget() {
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("api", FixtureProcess.builder().tree(2, 1))
                        .restart(RestartPolicy.onFailure(0, Duration.ofSeconds(30), Duration.ofSeconds(30)))
                        .build());
        supervisor.start();
        long first = supervisor.pid("api").orElseThrow();

        assertThat(supervisor.restart("api")).succeedsWithin(Duration.ofSeconds(20));

        long second = supervisor.pid("api").orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(FixtureProcess.isRunning(first)).isFalse();
        assertThat(supervisor.status("api")).satisfies(s -> {
            assertThat(s.incarnation()).isEqualTo(2);
            assertThat(s.restarts()).isZero();
            assertThat(s.state()).isEqualTo(ServiceState.READY);
        });
        assertThat(h.states("api"))
                .containsExactly(
                        ServiceState.STARTING,
                        ServiceState.READY,
                        ServiceState.STOPPING,
                        ServiceState.STARTING,
                        ServiceState.READY);
    }

    @Test
    void aStoppedServiceStartsAgainAndItsDependentsAreLeftAlone() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder()).build(),
                h.fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        long api = supervisor.pid("api").orElseThrow();

        assertThat(supervisor.stop("db")).succeedsWithin(Duration.ofSeconds(20));
        assertThat(supervisor.state("db")).isEqualTo(ServiceState.STOPPED);
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
        assertThat(FixtureProcess.isRunning(api)).isTrue();

        assertThat(supervisor.start("db")).succeedsWithin(Duration.ofSeconds(20));
        assertThat(supervisor.status("db").incarnation()).isEqualTo(2);
        assertThat(supervisor.start("db"))
                .as("starting a running service does nothing")
                .isCompleted();
        assertThat(supervisor.status("db").incarnation()).isEqualTo(2);
    }

    @Test
    void startingAServiceStartsTheDependenciesThatAreNotRunning() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder()).build(),
                h.fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        assertThat(supervisor.stop("api")).succeedsWithin(Duration.ofSeconds(20));
        assertThat(supervisor.stop("db")).succeedsWithin(Duration.ofSeconds(20));

        assertThat(supervisor.start("api")).succeedsWithin(Duration.ofSeconds(20));

        assertThat(supervisor.state("db")).isEqualTo(ServiceState.READY);
        assertThat(h.indexOf("api", ServiceState.READY)).isLessThan(h.events.size());
        assertThat(supervisor.status("api").incarnation()).isEqualTo(2);
    }

    @Test
    void aHeartbeatProbePassesOnTheFirstReport() {
        ProcessSupervisor supervisor = h.supervisor(h.fixture("domain", FixtureProcess.builder())
                .readiness(Probes.heartbeat(Duration.ofSeconds(5)))
                .build());
        CompletableFuture<Void> started = CompletableFuture.runAsync(supervisor::start);
        h.awaitEvent("domain", ServiceState.STARTING);
        assertThat(started).isNotDone();

        supervisor.heartbeat("domain");

        assertThat(started).succeedsWithin(Duration.ofSeconds(10));
        assertThat(h.of("domain").get(1).message())
                .isEqualTo("the service should report a heartbeat at least every 5000 ms");
    }

    @Test
    void theStatusTellsWhenTheCurrentProcessLastReportedAHeartbeat() {
        ProcessSupervisor supervisor =
                h.supervisor(h.fixture("domain", FixtureProcess.builder()).build());
        supervisor.start();
        assertThat(supervisor.status("domain").lastHeartbeat()).isEmpty();

        Instant before = Instant.now();
        supervisor.heartbeat("domain");

        assertThat(supervisor.status("domain").lastHeartbeat())
                .hasValueSatisfying(beat -> assertThat(beat).isBetween(before, Instant.now()));

        assertThat(supervisor.restart("domain")).succeedsWithin(Duration.ofSeconds(20));

        assertThat(supervisor.status("domain").lastHeartbeat())
                .as("a new process has reported nothing yet")
                .isEmpty();
    }

    @Test
    void aServiceThatStopsSendingHeartbeatsIsRestarted() {
        ProcessSupervisor supervisor = h.supervisor(h.fixture("domain", FixtureProcess.builder())
                .liveness(new Liveness(Probes.heartbeat(Duration.ofMillis(200)), Duration.ofMillis(100), 1))
                .restart(RestartPolicy.onFailure(3, Duration.ZERO, Duration.ZERO))
                .build());
        supervisor.start();

        ServiceEvent stopping = h.awaitEvent("domain", ServiceState.STOPPING);

        assertThat(stopping.message()).contains("no heartbeat yet");
        h.awaitEvent("domain", ServiceState.READY, 2);
    }

    @Test
    void everyStartAsksForAFreshEnvironment() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ProcessSupervisor supervisor = h.supervisor(h.fixture("api", FixtureProcess.builder())
                .freshEnvironment(() -> java.util.Map.of("GENERATION", Integer.toString(asked.incrementAndGet())))
                .build());
        supervisor.start();
        assertThat(asked).hasValue(1);

        assertThat(supervisor.restart("api")).succeedsWithin(Duration.ofSeconds(20));

        assertThat(asked).hasValue(2);
    }

    @Test
    void anAutoPortIsPickedFreeAndHandedOverAsPortAndInTheCommand() {
        List<String> command = FixtureProcess.builder().listen(1, Duration.ZERO).command().stream()
                .map(word -> word.equals("--listen=1") ? "--listen=${port}" : word)
                .collect(Collectors.toList());
        ProcessSupervisor supervisor = h.supervisor(ServiceSpec.builder("web", command)
                .workingDirectory(dir)
                .autoPort()
                .readiness(Probes.logLine("listening on \\d+"))
                .build());

        supervisor.start();

        int port = supervisor.status("web").port().orElseThrow();
        assertThat(port).isPositive();
        assertThat(h.texts("web")).contains("listening on " + port);
    }

    @Test
    void anUpdatedSpecRestartsOnlyThatServiceWithTheNewSpec() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder()).build(),
                h.fixture("api", FixtureProcess.builder().print("v1"))
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        long db = supervisor.pid("db").orElseThrow();
        long api = supervisor.pid("api").orElseThrow();

        assertThat(supervisor.update(h.fixture("api", FixtureProcess.builder().print("v2"))
                        .dependsOn("db", DependencyCondition.READY)
                        .build()))
                .succeedsWithin(Duration.ofSeconds(20));

        assertThat(supervisor.pid("db")).hasValue(db);
        assertThat(supervisor.pid("api").orElseThrow()).isNotEqualTo(api);
        assertThat(FixtureProcess.isRunning(api)).isFalse();
        await().atMost(Duration.ofSeconds(20)).until(() -> h.texts("api").contains("v2"));
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
    }

    @Test
    void anUpdateThatWouldMakeACycleIsRefusedBeforeAnythingStops() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder()).build(),
                h.fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        long db = supervisor.pid("db").orElseThrow();

        assertThatThrownBy(() -> supervisor.update(h.fixture("db", FixtureProcess.builder())
                        .dependsOn("api", DependencyCondition.READY)
                        .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependencies form a cycle among api, db");
        assertThat(supervisor.pid("db")).hasValue(db);
        assertThat(FixtureProcess.isRunning(db)).isTrue();
    }
}
