package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.process.LeftoverProcesses;
import dev.farm.process.PortHolder;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The public diagnostics over real processes and sockets: what holds a port, and what an earlier farm left. */
@Timeout(120)
class LeftoverProcessesIT {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killEverything() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void aPortThisJvmListensOnIsHeldByThisJvm() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortHolder holder = PortHolder.of(socket.getLocalPort()).orElseThrow();

            if (ProcessTree.PROCFS) {
                assertThat(holder.pid())
                        .isEqualTo(OptionalLong.of(ProcessHandle.current().pid()));
                assertThat(holder.command()).contains("java");
                assertThat(holder.describe())
                        .startsWith("pid " + ProcessHandle.current().pid() + " (");
            } else {
                assertThat(holder.describe()).isEqualTo("another process");
            }
        }
    }

    @Test
    void aClosedPortIsFree() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(PortHolder.of(port)).isEmpty();
    }

    @Test
    void aLeftoverIsReportedThenStoppedAndAReusedPidIsLeftAlone() throws IOException {
        Process leftover = start();
        Process other = start();
        Path file = LeftoverProcesses.stateFile(dir);
        StateFile state = new StateFile(file, deadOwner());
        StateFile.Entry stale =
                entry("api", leftover, StateFile.startToken(leftover.pid()).orElseThrow());
        StateFile.Entry reused = entry("web", other, "another-boot:1");
        state.put(stale);
        state.put(reused);

        LeftoverProcesses.Report seen = LeftoverProcesses.inspect(file);

        assertThat(seen.runningFarm()).isEmpty();
        assertThat(seen.stale()).extracting(LeftoverProcesses.Entry::pid).containsExactly(leftover.pid());
        assertThat(seen.stale().get(0).describe()).isEqualTo("'api' (pid " + leftover.pid() + ", fixture)");
        assertThat(seen.reused()).extracting(LeftoverProcesses.Entry::pid).containsExactly(other.pid());
        assertThat(leftover.isAlive()).as("inspect touches nothing").isTrue();

        LeftoverProcesses.Report stopped = LeftoverProcesses.stop(file, Duration.ofSeconds(10));

        assertThat(stopped.running()).extracting(LeftoverProcesses.Entry::pid).containsExactly(leftover.pid());
        await().atMost(Duration.ofSeconds(30)).until(() -> !leftover.isAlive());
        assertThat(other.isAlive()).as("a reused pid is never signalled").isTrue();
        assertThat(file).as("nothing left to record").doesNotExist();
    }

    @Test
    void whileItsFarmRunsNothingIsStaleAndNothingIsStopped() throws IOException {
        Process farm = start();
        Process service = start();
        Path file = LeftoverProcesses.stateFile(dir);
        StateFile state = new StateFile(
                file,
                new StateFile.Owner(farm.pid(), StateFile.startToken(farm.pid()).orElseThrow()));
        state.put(entry("api", service, StateFile.startToken(service.pid()).orElseThrow()));

        LeftoverProcesses.Report seen = LeftoverProcesses.stop(file, Duration.ofSeconds(10));

        assertThat(seen.runningFarm()).isEqualTo(OptionalLong.of(farm.pid()));
        assertThat(seen.running()).extracting(LeftoverProcesses.Entry::pid).containsExactly(service.pid());
        assertThat(seen.stale()).isEmpty();
        assertThat(service.isAlive()).isTrue();
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void aMissingFileRecordsNothing() {
        LeftoverProcesses.Report seen = LeftoverProcesses.inspect(dir.resolve("none.json"));

        assertThat(seen.runningFarm()).isEmpty();
        assertThat(seen.running()).isEmpty();
        assertThat(seen.reused()).isEmpty();
    }

    private static StateFile.Entry entry(String service, Process process, String token) {
        return new StateFile.Entry(service, process.pid(), process.pid(), token, "fixture", OptionalInt.empty());
    }

    private Process start() throws IOException {
        Process process = new ProcessBuilder(FixtureProcess.builder().command())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(process);
        return process;
    }

    private StateFile.Owner deadOwner() throws IOException {
        Process farm = start();
        StateFile.Owner owner =
                new StateFile.Owner(farm.pid(), StateFile.startToken(farm.pid()).orElseThrow());
        farm.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !FixtureProcess.isRunning(farm.pid()));
        return owner;
    }
}
