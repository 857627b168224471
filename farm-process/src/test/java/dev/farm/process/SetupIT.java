package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A service's setup command ({@code npm install}) on real processes: once, before the first start, or a failure. */
@Timeout(120)
class SetupIT {

    /** Writes a file from the environment ({@code write FILE}), or needs it and then runs ({@code read FILE}). */
    private static final String TOOL = """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.concurrent.locks.LockSupport;

            public class Tool {
                public static void main(String[] args) throws Exception {
                    Path file = Path.of(args[1]);
                    if (args[0].equals("write")) {
                        Files.writeString(file, System.getenv("GREETING"));
                        System.out.println("setup wrote " + file);
                        return;
                    }
                    if (!Files.exists(file)) {
                        System.err.println(file + " is missing: run the setup first");
                        System.exit(2);
                    }
                    System.out.println("setup said: " + Files.readString(file));
                    while (true) {
                        LockSupport.park();
                    }
                }
            }
            """;

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

    private List<String> tool(String mode) throws IOException {
        Path source = dir.resolve("Tool.java");
        if (!Files.exists(source)) {
            Files.writeString(source, TOOL);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, source.toString(), mode, "needed.txt");
    }

    @Test
    void theSetupRunsOnceInTheServicesFolderAndEnvironmentBeforeItsFirstStart() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("app"));
        ServiceSpec api = ServiceSpec.builder("api", tool("read"))
                .workingDirectory(folder)
                .environment(Map.of("GREETING", "hello from the service's environment"))
                .setup(tool("write"))
                .readiness(Probes.logLine("setup said: "))
                .build();
        ProcessSupervisor supervisor = h.supervisor(api);

        supervisor.start();

        assertThat(folder.resolve("needed.txt")).hasContent("hello from the service's environment");
        assertThat(h.texts("api"))
                .containsSubsequence("setup wrote needed.txt", "setup said: hello from the service's environment");
        List<String> starting = h.of("api").stream()
                .filter(e -> e.state() == ServiceState.STARTING)
                .map(ServiceEvent::message)
                .collect(Collectors.toList());
        assertThat(starting).hasSize(3);
        assertThat(starting.get(0)).startsWith("running setup: ").endsWith("Tool.java write needed.txt");
        assertThat(starting.get(1)).matches("setup done in [0-9.]+ m?s");
        assertThat(starting.get(2)).endsWith("Tool.java read needed.txt");
        assertThat(h.of("api").get(0).pid()).as("the setup's pid").isPresent();

        supervisor.restart("api").join();

        assertThat(h.texts("api").stream().filter(t -> t.startsWith("setup wrote")))
                .as("a restart does not run the setup again")
                .hasSize(1);
        assertThat(supervisor.status("api").incarnation()).isEqualTo(2);
    }

    @Test
    void aFailingSetupFailsTheServiceWithItsLastLinesAndSkipsItsDependents() throws IOException {
        ServiceSpec api = ServiceSpec.builder("api", tool("read"))
                .workingDirectory(dir)
                .setup(FixtureProcess.builder()
                        .print("added 0 packages")
                        .printErr("npm ERR! code E404")
                        .exitAfterPrinting(1)
                        .command())
                .restart(RestartPolicy.onFailure(5, Duration.ZERO, Duration.ZERO))
                .build();
        ServiceSpec web = h.fixture("web", FixtureProcess.builder())
                .dependsOn("api", DependencyCondition.READY)
                .build();
        ProcessSupervisor supervisor = h.supervisor(api, web);

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("service 'api' failed: its setup '")
                .hasMessageContaining("' exited with code 1 after ")
                .hasMessageContaining("Its last lines are above");

        ServiceEvent failed = h.awaitEvent("api", ServiceState.FAILED);
        assertThat(failed.lastLines()).contains("npm ERR! code E404");
        assertThat(failed.exitCode()).hasValue(1);
        assertThat(h.texts("api")).contains("added 0 packages", "npm ERR! code E404");
        h.awaitEvent("web", ServiceState.SKIPPED);
        assertThat(supervisor.status("api").incarnation())
                .as("neither started nor restarted")
                .isZero();
        assertThat(h.count("api", ServiceState.RESTARTING)).isZero();
    }

    @Test
    void aSetupThatCannotStartFailsTheServiceNamingIt() {
        ServiceSpec api = h.fixture("api", FixtureProcess.builder())
                .setup(List.of(dir.resolve("no-such-program").toString(), "install"))
                .build();
        ProcessSupervisor supervisor = h.supervisor(api);

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("its setup '" + dir.resolve("no-such-program") + " install' could not start");
    }
}
