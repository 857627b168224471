package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ProcessSupervisorIT {

    @TempDir
    Path dir;

    private final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    private final List<LogLine> lines = new CopyOnWriteArrayList<>();
    private final List<ProcessSupervisor> supervisors = new ArrayList<>();

    @AfterEach
    void closeSupervisors() {
        supervisors.forEach(ProcessSupervisor::close);
    }

    private ProcessSupervisor supervisor(ServiceSpec... specs) {
        ProcessSupervisor supervisor = ProcessSupervisor.builder()
                .services(List.of(specs))
                .listener(events::add)
                .logSink(lines::add)
                .build();
        supervisors.add(supervisor);
        return supervisor;
    }

    private ServiceSpec.Builder fixture(String name, FixtureProcess.Builder fixture) {
        return ServiceSpec.builder(name, fixture.command()).workingDirectory(dir);
    }

    private int indexOf(String service, ServiceState state) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).service().equals(service) && events.get(i).state() == state) {
                return i;
            }
        }
        throw new AssertionError("no " + state + " event for " + service + " in " + events);
    }

    @Test
    void aServiceStartsOnlyOnceItsDependencyIsReady() throws IOException {
        int dbPort = FixtureProcess.freePort();
        int apiPort = FixtureProcess.freePort();
        ProcessSupervisor supervisor = supervisor(
                fixture("api", FixtureProcess.builder().listen(apiPort, Duration.ZERO))
                        .readiness(Probes.http(apiPort, "/health"))
                        .dependsOn("db", DependencyCondition.READY)
                        .build(),
                fixture("worker", FixtureProcess.builder())
                        .dependsOn("api", DependencyCondition.STARTED)
                        .build(),
                fixture("db", FixtureProcess.builder().listen(dbPort, Duration.ofMillis(700)))
                        .readiness(Probes.tcp(dbPort))
                        .build());

        supervisor.start();

        assertThat(indexOf("api", ServiceState.STARTING)).isGreaterThan(indexOf("db", ServiceState.READY));
        assertThat(indexOf("worker", ServiceState.STARTING)).isGreaterThan(indexOf("api", ServiceState.STARTING));
        assertThat(supervisor.services()).containsExactly("api", "worker", "db");
        for (String service : supervisor.services()) {
            assertThat(supervisor.state(service)).isEqualTo(ServiceState.READY);
            assertThat(supervisor.pid(service)).isPresent();
        }
    }

    @Test
    void independentServicesStartInParallel() throws IOException {
        int portA = FixtureProcess.freePort();
        int portB = FixtureProcess.freePort();
        ProcessSupervisor supervisor = supervisor(
                fixture("a", FixtureProcess.builder().listen(portA, Duration.ofMillis(1500)))
                        .readiness(Probes.tcp(portA))
                        .build(),
                fixture("b", FixtureProcess.builder().listen(portB, Duration.ofMillis(1500)))
                        .readiness(Probes.tcp(portB))
                        .build());

        supervisor.start();

        // Each started before the other became ready: neither waited for the other.
        assertThat(indexOf("b", ServiceState.STARTING)).isLessThan(indexOf("a", ServiceState.READY));
        assertThat(indexOf("a", ServiceState.STARTING)).isLessThan(indexOf("b", ServiceState.READY));
    }

    @Test
    void aProbeThatNeverPassesFailsTheStartNamingServiceProbeTimeoutAndLastError() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = supervisor(
                fixture("api", FixtureProcess.builder().print("booting"))
                        .readiness(Probes.tcp(port))
                        .readyTimeout(Duration.ofSeconds(1))
                        .build(),
                fixture("web", FixtureProcess.builder())
                        .dependsOn("api", DependencyCondition.READY)
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOfSatisfying(ProbeTimeoutException.class, e -> {
                    assertThat(e.service()).isEqualTo("api");
                    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(e.lastFailure()).isEqualTo("connection refused");
                })
                .hasMessage("service 'api' was not ready after 1s: a TCP connection to 127.0.0.1:" + port
                        + " should succeed, last attempt: connection refused.");

        assertThat(supervisor.state("api")).isEqualTo(ServiceState.FAILED);
        assertThat(supervisor.state("web")).isEqualTo(ServiceState.SKIPPED);
        assertThat(events)
                .filteredOn(e -> e.service().equals("web"))
                .extracting(ServiceEvent::state, ServiceEvent::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        ServiceState.SKIPPED,
                        "service 'web' was not started because a dependency failed: " + "service 'api' was not ready"
                                + " after 1s: a TCP connection to 127.0.0.1:" + port
                                + " should succeed, last attempt: connection refused."));
        long pid = supervisor.pid("api").orElseThrow();
        assertThat(FixtureProcess.isRunning(pid))
                .as("a failed service leaves nothing running")
                .isFalse();

        supervisor.close();

        assertThat(supervisor.state("web")).isEqualTo(ServiceState.SKIPPED);
    }

    @Test
    void aServiceThatExitsBeforeItIsReadyFailsWithItsLastLines() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = supervisor(fixture(
                        "api",
                        FixtureProcess.builder()
                                .print("starting")
                                .printErr("no database")
                                .exit(3, Duration.ZERO))
                .readiness(Probes.tcp(port))
                .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOfSatisfying(ServiceStartException.class, e -> {
                    assertThat(e).isNotInstanceOf(ProbeTimeoutException.class);
                    assertThat(e.lastLines())
                            .as("the last lines of standard error")
                            .containsExactly("no database");
                })
                .hasMessage("service 'api' exited with code 3 before it was ready. Its last lines are above.");
        assertThat(events.get(events.size() - 1)).satisfies(e -> {
            assertThat(e.state()).isEqualTo(ServiceState.FAILED);
            assertThat(e.exitCode()).hasValue(3);
        });
    }

    @Test
    void aServiceWithoutProbeThatDiesWhileTheStackStartsFailsTheStart() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = supervisor(
                fixture(
                                "crash",
                                FixtureProcess.builder()
                                        .printErr("fatal: no config")
                                        .exit(3, Duration.ZERO))
                        .build(),
                fixture("slow", FixtureProcess.builder().listen(port, Duration.ofMillis(1500)))
                        .readiness(Probes.tcp(port))
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOfSatisfying(
                        ServiceStartException.class,
                        e -> assertThat(e.lastLines()).containsExactly("fatal: no config"))
                .hasMessage("service 'crash' exited with code 3 while starting. Its last lines are above.");
        assertThat(supervisor.state("crash")).isEqualTo(ServiceState.FAILED);
    }

    @Test
    void aServiceIsAnnouncedBeforeItsFirstLine() {
        List<String> timeline = new CopyOnWriteArrayList<>();
        ProcessSupervisor supervisor = ProcessSupervisor.builder()
                .service(fixture("talker", FixtureProcess.builder().print("first"))
                        .build())
                .listener(event -> timeline.add(event.service() + " " + event.state()))
                .logSink(line -> timeline.add(line.service() + " | " + line.text()))
                .build();
        supervisors.add(supervisor);

        supervisor.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> timeline.contains("talker | first"));
        assertThat(timeline.indexOf("talker STARTING")).isLessThan(timeline.indexOf("talker | first"));
    }

    @Test
    void aFolderIsNotAProgram() throws IOException {
        Files.createDirectory(dir.resolve("web"));
        ProcessSupervisor supervisor = supervisor(ServiceSpec.builder("web", List.of("./web"))
                .workingDirectory(dir)
                .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessage("service 'web' could not start: " + dir.resolve("web")
                        + " is a folder, not a program. Fix the command, or its cwd.");
    }

    @Test
    void aMissingProgramIsNamed() {
        ProcessSupervisor supervisor = supervisor(
                ServiceSpec.builder("api", List.of("no-such-program-farm")).build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessage("service 'api' could not start: program 'no-such-program-farm' was not found on PATH."
                        + " Install it, or fix the service's command.");
    }

    @Test
    void closeLeavesNoProcessOfAThreeLevelTree() throws IOException {
        ProcessSupervisor supervisor =
                supervisor(fixture("tree", FixtureProcess.builder().tree(3, 2).pidDirectory(dir))
                        .build());
        supervisor.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> FixtureProcess.pids(dir).size() == 7);
        List<Long> pids = FixtureProcess.pids(dir);
        assertThat(pids).allMatch(FixtureProcess::isRunning);

        supervisor.close();

        assertThat(pids.stream().filter(FixtureProcess::isRunning).collect(Collectors.toList()))
                .as("processes of the tree still running after close()")
                .isEmpty();
        assertThat(supervisor.state("tree")).isEqualTo(ServiceState.STOPPED);
    }

    @Test
    void aTreeThatIgnoresSigtermIsKilledAfterTheStopTimeout() throws IOException {
        ProcessSupervisor supervisor = supervisor(fixture(
                        "stubborn",
                        FixtureProcess.builder().ignoreSigterm().tree(2, 2).pidDirectory(dir))
                .stopTimeout(Duration.ofMillis(500))
                .build());
        supervisor.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> FixtureProcess.pids(dir).size() == 3);
        List<Long> pids = FixtureProcess.pids(dir);

        supervisor.close();

        assertThat(pids).noneMatch(FixtureProcess::isRunning);
        assertThat(lines)
                .extracting(LogLine::text)
                .contains("ignoring the termination signal"); // they did get SIGTERM first
        ServiceEvent stopped = events.get(events.size() - 1);
        assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
        assertThat(stopped.exitCode()).hasValue(137);
    }

    @Test
    void stopsDependentsBeforeTheirDependencies() {
        ProcessSupervisor supervisor = supervisor(
                fixture("db", FixtureProcess.builder()).build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.STARTED)
                        .build(),
                fixture("web", FixtureProcess.builder())
                        .dependsOn("api", DependencyCondition.STARTED)
                        .build());
        supervisor.start();

        supervisor.close();

        assertThat(indexOf("api", ServiceState.STOPPING)).isGreaterThan(indexOf("web", ServiceState.STOPPED));
        assertThat(indexOf("db", ServiceState.STOPPING)).isGreaterThan(indexOf("api", ServiceState.STOPPED));
    }

    @Test
    void everyLineOfBothStreamsReachesTheSinkWithItsService() {
        ProcessSupervisor supervisor = supervisor(fixture(
                        "talker",
                        FixtureProcess.builder()
                                .print("one")
                                .print("two")
                                .printErr("err: ünïcödé")
                                .print("last")
                                .exit(0, Duration.ZERO))
                .build());
        supervisor.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.state("talker") == ServiceState.EXITED);

        assertThat(lines).allMatch(line -> line.service().equals("talker"));
        assertThat(lines.stream()
                        .filter(l -> l.stream() == LogLine.Stream.STDOUT)
                        .map(LogLine::text))
                .containsExactly("one", "two", "last");
        assertThat(lines.stream()
                        .filter(l -> l.stream() == LogLine.Stream.STDERR)
                        .map(LogLine::text))
                .containsExactly("err: ünïcödé");
        // The lines came before the event that says the process ended.
        assertThat(events.get(events.size() - 1).exitCode()).hasValue(0);
    }

    @Test
    void closeIsIdempotentAndStartAfterCloseIsRefused() {
        ProcessSupervisor supervisor =
                supervisor(fixture("a", FixtureProcess.builder()).build());
        supervisor.start();

        supervisor.close();
        supervisor.close();

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("supervisor is closed");
    }

    @Test
    void aPortAlreadyInUseFailsTheServiceNamingTheHoldersPidAndCommand() throws Exception {
        int port = FixtureProcess.freePort();
        Process holder = new ProcessBuilder(FixtureProcess.builder()
                        .listen(port, Duration.ZERO)
                        .print("holding")
                        .command())
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> PortProbe.listening(port));
            ProcessSupervisor supervisor = supervisor(ServiceSpec.builder(
                            "api",
                            FixtureProcess.builder().listen(port, Duration.ZERO).command())
                    .port(port)
                    .build());

            assertThatThrownBy(supervisor::start)
                    .isInstanceOf(ServiceStartException.class)
                    .hasMessageStartingWith("service 'api' cannot start: port " + port + " is already in use by pid "
                            + holder.pid() + " (")
                    .hasMessageContaining("FixtureProcess")
                    .hasMessageEndingWith("). Stop that process, or give the service another port.");
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void theStopSignalIsTheOneTheServiceHonours() {
        // A server that ignores SIGTERM and stops on SIGINT, like dev servers that treat TERM as "reload".
        String script = "trap 'echo ignoring TERM >&2' TERM; trap 'echo stopping on INT; exit 0' INT;"
                + " echo up; while :; do sleep 1 & wait $!; done";
        ProcessSupervisor supervisor = supervisor(ServiceSpec.builder("server", List.of("sh", "-c", script))
                .stopSignal(StopSignal.INT)
                .stopTimeout(Duration.ofSeconds(60))
                .build());
        supervisor.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> lines.stream().anyMatch(l -> l.text().equals("up")));

        supervisor.close();

        assertThat(lines).extracting(LogLine::text).contains("stopping on INT").doesNotContain("ignoring TERM");
        assertThat(events)
                .filteredOn(e -> e.service().equals("server"))
                .extracting(ServiceEvent::state)
                .endsWith(ServiceState.STOPPING, ServiceState.STOPPED);
    }

    @Test
    void aServiceWaitingForAOneShotTaskToSucceedStartsAfterItExits() {
        ProcessSupervisor supervisor = supervisor(
                fixture("migrate", FixtureProcess.builder().print("migrated").exit(0, Duration.ofMillis(300)))
                        .build(),
                fixture("api", FixtureProcess.builder().print("api up"))
                        .dependsOn("migrate", DependencyCondition.SUCCEEDED)
                        .build());

        supervisor.start();

        List<String> order =
                events.stream().map(e -> e.service() + " " + e.state()).collect(Collectors.toList());
        assertThat(order).containsSubsequence("migrate EXITED", "api STARTING", "api READY");
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
    }

    @Test
    void aOneShotTaskThatFailsSkipsWhatWaitsForItsSuccess() {
        ProcessSupervisor supervisor = supervisor(
                fixture(
                                "migrate",
                                FixtureProcess.builder().printErr("no database").exit(3, Duration.ZERO))
                        .build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("migrate", DependencyCondition.SUCCEEDED)
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("service 'migrate' exited with code 3");
        assertThat(events).noneMatch(e -> e.service().equals("api") && e.state() == ServiceState.STARTING);
    }

    @Test
    void completedAcceptsAnyExitCodeAndSuccessExitCodesCountAsSuccess() {
        ProcessSupervisor supervisor = supervisor(
                fixture("seed", FixtureProcess.builder().exit(7, Duration.ZERO)).build(),
                fixture("check", FixtureProcess.builder().exit(143, Duration.ZERO))
                        .successExitCodes(java.util.Set.of(0, 143))
                        .build(),
                fixture("api", FixtureProcess.builder().print("api up"))
                        .dependsOn("seed", DependencyCondition.COMPLETED)
                        .dependsOn("check", DependencyCondition.SUCCEEDED)
                        .build());

        supervisor.start();

        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
        assertThat(events)
                .filteredOn(e -> e.state() == ServiceState.EXITED)
                .extracting(e -> e.service() + " " + e.exitCode().orElse(-1))
                .containsExactlyInAnyOrder("seed 7", "check 143");
    }

    @Test
    void aLogLineProbePassesWhenTheServiceAnnouncesItself() {
        ProcessSupervisor supervisor = supervisor(
                fixture("worker", FixtureProcess.builder().print("booting").print("worker ready on queue 7"))
                        .readiness(Probes.logLine("ready on queue \\d+"))
                        .build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("worker", DependencyCondition.READY)
                        .build());

        supervisor.start();

        assertThat(events)
                .filteredOn(e -> e.service().equals("worker") && e.state() == ServiceState.READY)
                .extracting(ServiceEvent::message)
                .containsExactly("a line of its output should match /ready on queue \\d+/");
    }

    @Test
    void aServiceThatExitsBeforePrintingItsLineFailsInsteadOfHangingItsDependents() {
        ProcessSupervisor supervisor = supervisor(
                fixture("worker", FixtureProcess.builder().print("booting").exit(1, Duration.ZERO))
                        .readiness(Probes.logLine("ready"))
                        .build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("worker", DependencyCondition.READY)
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("service 'worker' exited with code 1 before it was ready");
        assertThat(events).noneMatch(e -> e.service().equals("api") && e.state() == ServiceState.STARTING);
    }

    /** Whether something accepts connections on the loopback port. */
    static final class PortProbe {
        private PortProbe() {}

        static boolean listening(int port) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Test
    void statsCoverTheWholeTree() throws IOException {
        ProcessSupervisor supervisor =
                supervisor(fixture("tree", FixtureProcess.builder().tree(2, 2).pidDirectory(dir))
                        .build());
        supervisor.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> FixtureProcess.pids(dir).size() == 3);

        ServiceStats first = supervisor.stats("tree");
        ServiceStats second = supervisor.stats("tree");

        assertThat(first.processes()).isEqualTo(3);
        assertThat(first.rssBytes().orElseThrow()).isGreaterThan(3L << 20);
        assertThat(first.cpuTime()).isPositive();
        assertThat(second.cpuTime()).isGreaterThanOrEqualTo(first.cpuTime());

        supervisor.close();

        assertThat(supervisor.stats("tree").processes()).isZero();
    }
}
