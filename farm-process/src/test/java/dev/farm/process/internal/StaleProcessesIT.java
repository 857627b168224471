package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real FixtureProcess trees recorded in a state file as an earlier farm would have left them: the matching ones are
 * stopped with their whole tree, a reused pid is never touched, and nothing happens while the owning farm runs.
 */
@Timeout(120)
class StaleProcessesIT {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final List<Path> pidDirectories = new ArrayList<>();

    @AfterEach
    void killEverything() throws IOException {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Path pids : pidDirectories) {
            for (long pid : FixtureProcess.pids(pids)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aStaleGroupLeaderIsStoppedWithItsWholeTree() throws IOException {
        assumeTrue(ProcessTree.groupsSupported(), "needs setsid, kill and /proc");
        Tree tree = startTree("api", true, FixtureProcess.builder().tree(3, 2));
        StateFile.Entry entry = tree.entry();
        StateFile file = stateFile(deadOwner(), entry);

        StaleProcesses.Result result = StaleProcesses.clean(file, STOP_TIMEOUT);

        assertThat(result.stopped()).containsExactly(entry);
        assertThat(result.reused()).isEmpty();
        assertThat(result.runningOwner()).isEmpty();
        awaitAllEnded(tree.pids);
        assertThat(file.read()).isEmpty();
    }

    @Test
    void aTreeThatIgnoresSigtermIsKilledAfterTheStopTimeout() throws IOException {
        assumeTrue(ProcessTree.groupsSupported(), "needs setsid, kill and /proc");
        Tree tree = startTree("stuck", true, FixtureProcess.builder().tree(2, 2).ignoreSigterm());
        StateFile file = stateFile(deadOwner(), tree.entry());

        StaleProcesses.Result result = StaleProcesses.clean(file, Duration.ofMillis(500));

        assertThat(result.stopped()).containsExactly(tree.entry());
        awaitAllEnded(tree.pids);
    }

    @Test
    void aStaleProcessWithoutItsOwnGroupIsStoppedWithItsDescendantsAndNothingElse() throws IOException {
        Tree tree = startTree("worker", false, FixtureProcess.builder().tree(2, 2));
        Process bystander = start(FixtureProcess.builder().command());
        StateFile.Entry entry = tree.entry();
        assertThat(entry.pgid()).as("a pgid of the test's own group").isNotEqualTo(entry.pid());
        StateFile file = stateFile(deadOwner(), entry);

        StaleProcesses.Result result = StaleProcesses.clean(file, STOP_TIMEOUT);

        assertThat(result.stopped()).containsExactly(entry);
        awaitAllEnded(tree.pids);
        assertThat(bystander.isAlive())
                .as("a process of the same group that is not in the tree")
                .isTrue();
    }

    @Test
    void aLivePidWithAnotherStartTokenIsAReusedPidAndIsLeftAlone() throws IOException {
        Tree tree = startTree("api", ProcessTree.groupsSupported(), FixtureProcess.builder());
        StateFile.Entry recorded = new StateFile.Entry(
                "api",
                tree.root.pid(),
                tree.entry().pgid(),
                "another-boot:1",
                "uvicorn main:app",
                OptionalInt.of(8000));
        StateFile file = stateFile(deadOwner(), recorded);

        StaleProcesses.Result result = StaleProcesses.clean(file, STOP_TIMEOUT);

        assertThat(result.stopped()).isEmpty();
        assertThat(result.reused()).containsExactly(recorded);
        assertThat(result.runningOwner()).isEmpty();
        awaitStillRunning(tree.pids);
        assertThat(file.read()).as("the entry is forgotten").isEmpty();
    }

    @Test
    void nothingIsTouchedWhileTheOwningFarmStillRuns() throws IOException {
        Tree farm = startTree("farm", false, FixtureProcess.builder());
        StateFile.Owner owner = new StateFile.Owner(
                farm.root.pid(), StateFile.startToken(farm.root.pid()).orElseThrow());
        Tree service = startTree(
                "api", ProcessTree.groupsSupported(), FixtureProcess.builder().tree(2, 2));
        StateFile file = stateFile(owner, service.entry());

        StaleProcesses.Result result = StaleProcesses.clean(file, STOP_TIMEOUT);

        assertThat(result.runningOwner()).isEqualTo(OptionalLong.of(farm.root.pid()));
        assertThat(result.stopped()).isEmpty();
        assertThat(result.reused()).isEmpty();
        awaitStillRunning(service.pids);
        assertThat(file.read()).containsExactly(service.entry());
        assertThat(file.owner()).contains(farm.root.pid());
        assertThat(file.ownerAlive()).isTrue();
    }

    @Test
    void anEndedProcessIsForgottenWithoutAnySignal() throws Exception {
        Process ended = start(FixtureProcess.builder().command());
        String token = StateFile.startToken(ended.pid()).orElseThrow();
        ended.destroyForcibly().waitFor();
        StateFile.Entry entry =
                new StateFile.Entry("gone", ended.pid(), ended.pid(), token, "fixture", OptionalInt.empty());
        StateFile file = stateFile(deadOwner(), entry);

        StaleProcesses.Result result = StaleProcesses.clean(file, STOP_TIMEOUT);

        assertThat(result.stopped()).isEmpty();
        assertThat(result.reused()).isEmpty();
        assertThat(file.read()).isEmpty();
    }

    @Test
    void aFileWrittenByThisVeryProcessIsCleanedToo() throws IOException {
        Tree tree = startTree("api", ProcessTree.groupsSupported(), FixtureProcess.builder());
        StateFile file = new StateFile(dir.resolve("project").resolve(".farm").resolve("state.json"));
        file.put(tree.entry());

        StaleProcesses.Result result = StaleProcesses.clean(file, STOP_TIMEOUT);

        assertThat(result.runningOwner()).isEmpty();
        assertThat(result.stopped()).containsExactly(tree.entry());
        awaitAllEnded(tree.pids);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A started fixture tree: its root, the folder its processes write their pids to, and its state file entry. */
    private static final class Tree {
        final Process root;
        final Path pids;
        private final StateFile.Entry entry;

        Tree(String service, Process root, Path pids, boolean group, List<String> command) {
            this.root = root;
            this.pids = pids;
            long pid = root.pid();
            long pgid = group
                    ? pid
                    : ProcessTree.stat(pid).map(ProcessTree.Stat::pgrp).orElse(pid);
            this.entry = new StateFile.Entry(
                    service,
                    pid,
                    pgid,
                    StateFile.startToken(pid).orElseThrow(),
                    String.join(" ", command),
                    OptionalInt.empty());
        }

        /** The entry a farm would have written for the tree's root, read while it ran. */
        StateFile.Entry entry() {
            return entry;
        }
    }

    /** Starts a fixture tree, through setsid when {@code group}, and waits until every process of it runs. */
    private Tree startTree(String service, boolean group, FixtureProcess.Builder fixture) throws IOException {
        Path pids = Files.createDirectories(dir.resolve(service + "-pids"));
        pidDirectories.add(pids);
        List<String> arguments = fixture.arguments();
        int depth = intArgument(arguments, "--depth=", 1);
        int width = intArgument(arguments, "--children=", 1);
        int size = 0;
        for (int level = 0, count = 1; level < depth; level++, count *= width) {
            size += count;
        }
        List<String> command = new ArrayList<>(group ? ProcessTree.sessionLeaderPrefix() : List.of());
        command.addAll(fixture.pidDirectory(pids).command());
        Process root = start(command);
        int expected = size;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> FixtureProcess.pids(pids).size() == expected);
        return new Tree(service, root, pids, group, command);
    }

    private static int intArgument(List<String> arguments, String prefix, int fallback) {
        return arguments.stream()
                .filter(argument -> argument.startsWith(prefix))
                .map(argument -> Integer.parseInt(argument.substring(prefix.length())))
                .findFirst()
                .orElse(fallback);
    }

    private Process start(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(process);
        return process;
    }

    /** A farm that has ended: its pid and start token as it recorded them while it ran. */
    private StateFile.Owner deadOwner() throws IOException {
        Process farm = start(FixtureProcess.builder().command());
        StateFile.Owner owner =
                new StateFile.Owner(farm.pid(), StateFile.startToken(farm.pid()).orElseThrow());
        farm.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !FixtureProcess.isRunning(farm.pid()));
        return owner;
    }

    private StateFile stateFile(StateFile.Owner owner, StateFile.Entry entry) {
        StateFile file = new StateFile(dir.resolve("project").resolve(".farm").resolve("state.json"), owner);
        file.put(entry);
        assertThat(file.read()).containsExactly(entry);
        return file;
    }

    private static void awaitAllEnded(Path pids) throws IOException {
        List<Long> all = FixtureProcess.pids(pids);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                all.stream().filter(FixtureProcess::isRunning).collect(Collectors.toList()))
                        .as("processes of the tree still running")
                        .isEmpty());
    }

    /** Checks, for a while, that every process of a tree keeps running. */
    private static void awaitStillRunning(Path pids) throws IOException {
        List<Long> all = FixtureProcess.pids(pids);
        await().during(Duration.ofMillis(700))
                .atMost(Duration.ofSeconds(5))
                .until(() -> all.stream().allMatch(FixtureProcess::isRunning));
    }
}
