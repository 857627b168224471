package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The state file: what an earlier farm left running is stopped at the next start, and a reused pid never is. */
@Timeout(120)
@EnabledOnOs(OS.LINUX)
class StaleStateIT {

    @TempDir
    Path dir;

    private Path state() {
        return dir.resolve(".farm/state.json");
    }

    @Test
    void aStackLeftRunningByAKilledFarmAndItsKilledReaperIsStoppedAtTheNextStart() throws Exception {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Process host = startHost(pids);
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> FixtureProcess.pids(pids).size() == 3);
            List<Long> tree = FixtureProcess.pids(pids);
            assertThat(Files.readString(state())).contains("\"service\": \"api\"");

            // The worst case: the reaper dies first (say, with the whole session), then farm.
            List<ProcessHandle> reapers = host.children()
                    .filter(p ->
                            p.info().arguments().map(List::of).orElse(List.of()).contains("farm-reaper"))
                    .collect(Collectors.toList());
            assertThat(reapers).hasSize(1);
            reapers.forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(10)).until(() -> !reapers.get(0).isAlive());
            host.destroyForcibly();
            assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(tree)
                    .as("orphans, for now")
                    .allSatisfy(pid -> assertThat(FixtureProcess.isRunning(pid)).isTrue());

            try (ProcessSupervisor next = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder("api", FixtureProcess.builder().command())
                            .build())
                    .stateFile(state())
                    .build()) {
                next.start();

                assertThat(tree)
                        .allSatisfy(
                                pid -> assertThat(FixtureProcess.isRunning(pid)).isFalse());
                assertThat(Files.readString(state()))
                        .contains("\"pid\": " + next.pid("api").orElseThrow());
            }
            assertThat(state())
                    .as("nothing is recorded once farm stopped everything")
                    .doesNotExist();
        } finally {
            host.destroyForcibly();
            FixtureProcess.pids(pids).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void aProcessThatReusedARecordedPidIsLeftAlone() throws Exception {
        Process bystander = new ProcessBuilder(FixtureProcess.builder().command()).start();
        try {
            Files.createDirectories(state().getParent());
            Files.writeString(
                    state(),
                    "{\"version\":1,\"owner\":{\"pid\":999999999,\"startTime\":\"gone\"},\"services\":[\n"
                            + "{\"service\":\"api\",\"pid\":" + bystander.pid() + ",\"pgid\":" + bystander.pid()
                            + ",\"startTime\":\"an-earlier-boot:1\",\"command\":\"uvicorn main:app\"}\n]}\n");
            try (ProcessSupervisor next = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder("api", FixtureProcess.builder().command())
                            .build())
                    .stateFile(state())
                    .build()) {
                next.start();

                assertThat(bystander.isAlive()).isTrue();
            }
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    void aSecondFarmOnTheSameProjectIsRefusedWhileTheFirstRuns() throws Exception {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Process host = startHost(pids);
        try {

            ProcessSupervisor second = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder("api", FixtureProcess.builder().command())
                            .build())
                    .stateFile(state())
                    .build();
            try (second) {
                assertThatThrownBy(second::start)
                        .isInstanceOfSatisfying(
                                AlreadyRunningException.class,
                                e -> assertThat(e.pid()).isEqualTo(host.pid()))
                        .hasMessageStartingWith(
                                "farm is already running this project (pid " + host.pid() + ", see " + state() + ")");
            }
            assertThat(FixtureProcess.pids(pids))
                    .allSatisfy(pid -> assertThat(FixtureProcess.isRunning(pid)).isTrue());
        } finally {
            host.destroyForcibly(); // its reaper stops the tree
        }
    }

    /** Starts a farm JVM running {@link Host} and returns once its stack is up. */
    private Process startHost(Path pids) throws IOException {
        Process host = new ProcessBuilder(
                        FixtureProcess.javaExecutable().toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Host.class.getName(),
                        state().toString(),
                        pids.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = out.readLine();
        } while (line != null && !line.equals("ready"));
        assertThat(line).as("the host printed 'ready'").isEqualTo("ready");
        return host;
    }

    /** A farm JVM running one service, a three-process tree, with a state file. */
    public static final class Host {

        private Host() {}

        public static void main(String[] args) throws Exception {
            ProcessSupervisor supervisor = ProcessSupervisor.builder()
                    .service(ServiceSpec.builder(
                                    "api",
                                    FixtureProcess.builder()
                                            .tree(2, 2)
                                            .pidDirectory(Path.of(args[1]))
                                            .command())
                            .build())
                    .stateFile(Path.of(args[0]))
                    .build();
            supervisor.start();
            System.out.println("ready");
            System.out.flush();
            System.in.read(); // until the test kills this JVM
        }
    }
}
