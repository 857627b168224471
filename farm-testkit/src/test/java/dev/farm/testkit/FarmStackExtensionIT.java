package dev.farm.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.farm.config.ConfigSource;
import dev.farm.process.ServiceStartException;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension from the outside: each test runs a {@code *Case} class through the launcher, as an IDE would, and
 * checks its results, what it printed, and that none of the stack's processes is left.
 */
@Timeout(180)
class FarmStackExtensionIT {

    /** The farm.yaml the programmatic cases run; written before each case runs. */
    private static volatile Path config = Path.of("unset");

    @TempDir
    Path dir;

    private Path pids;

    @BeforeEach
    void writeStack() throws IOException {
        pids = Files.createDirectory(dir.resolve("pids"));
        config = Stacks.write(dir, """
                name: kit
                services:
                  api:
                    command: %s
                    ready: { log: "api up" }
                  worker:
                    command: %s
                    ready: { log: "worker up" }
                """.formatted(
                Stacks.yaml(FixtureProcess.builder()
                        .pidDirectory(pids)
                        .print("api says hello")
                        .print("api up")),
                Stacks.yaml(
                        FixtureProcess.builder().pidDirectory(pids).tree(2, 1).print("worker up"))));
    }

    @Test
    void startsTheStackOnceForTheClassAndInjectsTheHandle() throws IOException {
        OnceCase.seen.clear();

        Stacks.Run run = Stacks.run(OnceCase.class);

        assertThat(run.summary().getFailures()).isEmpty();
        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(2);
        // @BeforeAll once; a constructor and a test method for each of the two tests: one stack for them all
        assertThat(OnceCase.seen).hasSize(5).containsOnly(OnceCase.seen.get(0));
        // api and worker (both waited for, so their pids are written), and the worker's child if it got that far
        assertNothingLeft(2);
    }

    @Test
    void aFailingTestPrintsTheLastLinesOfEveryServiceAndTheStackStillStops() throws IOException {
        Stacks.Run run = Stacks.run(FailingCase.class);

        assertThat(run.summary().getTestsFailedCount()).isEqualTo(1);
        assertThat(run.summary().getTestsAbortedCount()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "farm-testkit: failsOnPurpose(FarmStackHandle) failed; the last lines of each service of a programmatic"
                                + " stack:\n")
                .contains("api    | api says hello\napi    | api up\n")
                .contains("worker | worker up\n")
                .doesNotContain("isAborted");
        assertNothingLeft(2);
    }

    @Test
    void aStackThatFailsToStartFailsTheClassWithFarmsMessage() throws IOException {
        config = Stacks.write(dir, """
                name: broken
                services:
                  api:
                    command: %s
                    ready: { log: "never printed" }
                """.formatted(Stacks.yaml(FixtureProcess.builder()
                .pidDirectory(pids)
                .printErr("cannot bind 127.0.0.1:1")
                .exit(3, Duration.ZERO))));

        Stacks.Run run = Stacks.run(OnceCase.class);

        assertThat(run.summary().getTestsStartedCount()).isZero();
        assertThat(run.summary().getFailures())
                .singleElement()
                .extracting(TestExecutionSummary.Failure::getException)
                .isInstanceOf(ServiceStartException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("api"));
        assertThat(run.err())
                .contains("farm-testkit: a programmatic stack did not start")
                .contains("api | cannot bind 127.0.0.1:1");
        assertNothingLeft(1);
    }

    @Test
    void aPathWithNothingThereFailsTheClassNamingIt() {
        Stacks.Run run = Stacks.run(MissingCase.class);

        assertThat(run.summary().getFailures())
                .singleElement()
                .extracting(TestExecutionSummary.Failure::getException)
                .isInstanceOf(ExtensionConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("@FarmStack(\"no/such/farm.yaml\") on MissingCase: nothing at ")
                        .endsWith("Fix the path."));
    }

    private void assertNothingLeft(int processes) throws IOException {
        List<Long> started = FixtureProcess.pids(pids);
        assertThat(started).hasSizeGreaterThanOrEqualTo(processes); // a child may not have written its pid yet
        assertThat(started).noneMatch(FixtureProcess::isRunning);
    }

    /** Records the handle it gets everywhere it can ask for one. */
    @EnabledIfSystemProperty(named = Stacks.RUNNING_CASE, matches = ".+")
    static class OnceCase {
        static final List<FarmStackHandle> seen = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final Extension STACK = FarmStacks.config(
                        () -> ConfigSource.file(config).load())
                .proxy(false)
                .build();

        OnceCase(FarmStackHandle stack) {
            seen.add(stack);
        }

        @BeforeAll
        static void before(FarmStackHandle stack) {
            seen.add(stack);
        }

        @Test
        void first(FarmStackHandle stack) {
            seen.add(stack);
            assertThat(stack.service("api").state()).hasToString("READY");
        }

        @Test
        void second(FarmStackHandle stack) {
            seen.add(stack);
            assertThat(stack.service("worker").state()).hasToString("READY");
        }
    }

    /** One test fails, one is aborted. */
    @EnabledIfSystemProperty(named = Stacks.RUNNING_CASE, matches = ".+")
    static class FailingCase {
        @RegisterExtension
        static final Extension STACK =
                FarmStacks.config(() -> ConfigSource.file(config).load()).build();

        @Test
        void failsOnPurpose(FarmStackHandle stack) {
            assertThat(stack.services()).containsExactly("api", "nope");
        }

        @Test
        void isAborted() {
            assumeThat(false).isTrue();
        }
    }

    @EnabledIfSystemProperty(named = Stacks.RUNNING_CASE, matches = ".+")
    @FarmStack("no/such/farm.yaml")
    static class MissingCase {
        @Test
        void neverRuns() {}
    }
}
