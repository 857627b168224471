package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.process.ServiceStats;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Samples a real three-process FixtureProcess tree: a root with two children. */
@Timeout(120)
class ProcStatsIT {

    @TempDir
    Path pids;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killEverything() throws IOException {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (long pid : FixtureProcess.pids(pids)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void countsEveryProcessOfAGroupLeadersTreeWithItsCpuAndMemory() throws IOException {
        Process root = start(ProcessTree.sessionLeaderPrefix());
        ProcStats stats = new ProcStats();

        ServiceStats sample =
                awaitWholeTree(stats, root, !ProcessTree.sessionLeaderPrefix().isEmpty());

        assertThat(sample.rssBytes()).isPresent();
        // Three JVMs: each has tens of megabytes resident.
        assertThat(sample.rssBytes().getAsLong()).isGreaterThan(3L * 1024 * 1024);
        assertThat(sample.cpuPercent()).isGreaterThanOrEqualTo(0);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutAGroupItFollowsDescendants() throws IOException {
        Process root = start(List.of());

        ServiceStats sample = awaitWholeTree(new ProcStats(), root, false);

        assertThat(sample.rssBytes()).isPresent();
        assertThat(sample.rssBytes().getAsLong()).isPositive();
    }

    @Test
    void processHandlesCountTheTreeAndItsCpuEverywhere() throws IOException {
        Process root = start(List.of());
        ProcStats stats = new ProcStats(new ProcStats.Handles());

        ServiceStats sample = awaitWholeTree(stats, root, false);

        assertThat(sample.rssBytes()).isEmpty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aStoppedTreeHasNoProcessLeft() throws IOException {
        Process root = start(ProcessTree.sessionLeaderPrefix());
        boolean group = !ProcessTree.sessionLeaderPrefix().isEmpty();
        ProcStats stats = new ProcStats();
        awaitWholeTree(stats, root, group);

        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ServiceStats sample = stats.sample(root.pid(), group, Clock.systemUTC());
            assertThat(sample.processes()).isZero();
            assertThat(sample.cpuTime()).isZero();
            assertThat(sample.cpuPercent()).isZero();
        });
    }

    private Process start(List<String> prefix) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(FixtureProcess.builder().tree(2, 2).pidDirectory(pids).command());
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(process);
        return process;
    }

    /** Waits until all three processes wrote their pid file and a sample counts them, then checks the CPU. */
    private ServiceStats awaitWholeTree(ProcStats stats, Process root, boolean group) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> FixtureProcess.pids(pids).size() == 3);
        AtomicReference<ServiceStats> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ServiceStats sample = stats.sample(root.pid(), group, Clock.systemUTC());
            last.set(sample);
            assertThat(sample.processes()).isEqualTo(3);
            assertThat(sample.cpuTime()).isPositive();
        });
        return last.get();
    }
}
