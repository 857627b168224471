package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Stopping: whole trees, reverse order, the shutdown deadline. */
@Timeout(120)
class ShutdownIT {

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

    /** A service that appends its name to the file when it is stopped, ready once its hook is in place. */
    private ServiceSpec.Builder up(String name, Path file) {
        return h.fixture(name, FixtureProcess.builder().appendOnStop(file, name).print("up"))
                .readiness(Probes.logLine("^up$"));
    }

    @Test
    void shutdownRunsInReverseDependencyOrderAsTheLinesAppendedToAFileShow() throws IOException {
        // process-compose-shutdown-inorder.yaml: a <- b, a <- c, b and c <- d; so d stops first, then b and c, then a.
        Path file = dir.resolve("stopped.txt");
        ProcessSupervisor supervisor = h.supervisor(
                up("a", file).build(),
                up("b", file).dependsOn("a", DependencyCondition.READY).build(),
                up("c", file).dependsOn("a", DependencyCondition.READY).build(),
                up("d", file)
                        .dependsOn("b", DependencyCondition.READY)
                        .dependsOn("c", DependencyCondition.STARTED)
                        .build());
        supervisor.start();

        supervisor.close();

        List<String> order = Files.readAllLines(file);
        assertThat(order).hasSize(4);
        assertThat(order.get(0)).isEqualTo("d");
        assertThat(order.subList(1, 3)).containsExactlyInAnyOrder("b", "c");
        assertThat(order.get(3)).isEqualTo("a");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aShellWithTwoBackgroundSleepsIsGoneAfterStop() {
        ProcessSupervisor supervisor =
                h.supervisor(ServiceSpec.builder("sleeps", List.of("sh", "-c", "sleep 1000 & sleep 1000 & wait"))
                        .build());
        supervisor.start();
        long shell = supervisor.pid("sleeps").orElseThrow();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(shell).orElseThrow().children().count() == 2);
        List<Long> tree = ProcessHandle.of(shell)
                .orElseThrow()
                .descendants()
                .map(ProcessHandle::pid)
                .collect(Collectors.toList());

        supervisor.close();

        assertThat(FixtureProcess.isRunning(shell)).isFalse();
        assertThat(tree)
                .hasSize(2)
                .allSatisfy(pid -> assertThat(FixtureProcess.isRunning(pid)).isFalse());
    }

    @Test
    void aGrandchildThatCalledSetsidIsGoneAfterStop() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("api", FixtureProcess.builder().escapingChild().pidDirectory(pids))
                        .build());
        supervisor.start();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> FixtureProcess.pids(pids).size() == 2);
        List<Long> tree = FixtureProcess.pids(pids);

        supervisor.close();

        assertThat(tree)
                .allSatisfy(pid -> assertThat(FixtureProcess.isRunning(pid)).isFalse());
    }

    @Test
    void theShutdownDeadlineKillsWhatIsLeftAndSaysWhatItWaitsFor() throws IOException {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        ProcessSupervisor supervisor = h.supervisor(
                builder -> builder.shutdownTimeout(Duration.ofMillis(2500)),
                h.fixture(
                                "stuck",
                                FixtureProcess.builder()
                                        .ignoreSigterm()
                                        .tree(2, 1)
                                        .pidDirectory(pids))
                        .stopTimeout(Duration.ofSeconds(60))
                        .build());
        supervisor.start();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> FixtureProcess.pids(pids).size() == 2);
        long begin = System.nanoTime();

        supervisor.close();

        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(FixtureProcess.pids(pids))
                .allSatisfy(pid -> assertThat(FixtureProcess.isRunning(pid)).isFalse());
        assertThat(h.of("stuck"))
                .extracting(ServiceEvent::message)
                .anySatisfy(m ->
                        assertThat(m).matches("still stopping after 2(\\.\\d)? s \\(stop timeout 60 s\\): pid \\d+"));
    }

    @Test
    void independentServicesStopInParallel() {
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("a", FixtureProcess.builder().ignoreSigterm())
                        .stopTimeout(Duration.ofMillis(1500))
                        .build(),
                h.fixture("b", FixtureProcess.builder().ignoreSigterm())
                        .stopTimeout(Duration.ofMillis(1500))
                        .build());
        supervisor.start();

        supervisor.close();

        // Each got STOPPING before the other was STOPPED: neither waited for the other.
        assertThat(h.indexOf("a", ServiceState.STOPPING)).isLessThan(h.indexOf("b", ServiceState.STOPPED));
        assertThat(h.indexOf("b", ServiceState.STOPPING)).isLessThan(h.indexOf("a", ServiceState.STOPPED));
    }
}
