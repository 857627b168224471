package dev.farm.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dependency shapes of process-compose's system tests (fixtures/*.yaml), run on real processes. */
@Timeout(120)
class DependencyGraphIT {

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

    /** A long-running service, ready once its port answers after the delay. */
    private ServiceSpec.Builder server(String name, Duration after) throws IOException {
        int port = FixtureProcess.freePort();
        return h.fixture(name, FixtureProcess.builder().listen(port, after)).readiness(Probes.tcp(port));
    }

    private void assertStartsAfterReady(String dependent, String dependency) {
        assertThat(h.indexOf(dependent, ServiceState.STARTING))
                .as("%s starts after %s is ready", dependent, dependency)
                .isGreaterThan(h.indexOf(dependency, ServiceState.READY));
    }

    @Test
    void aChainStartsFromItsEndWithARedundantShortcutEdge() throws IOException {
        // process-compose-chain-arrow.yaml: p1 <- p2 <- ... <- p8, and p6 also depends on p8 directly.
        List<ServiceSpec> specs = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            ServiceSpec.Builder spec = server("p" + i, Duration.ofMillis(50));
            if (i < 8) {
                spec.dependsOn("p" + (i + 1), DependencyCondition.READY);
            }
            if (i == 6) {
                spec.dependsOn("p8", DependencyCondition.READY);
            }
            specs.add(spec.build());
        }
        ProcessSupervisor supervisor = h.supervisor(specs.toArray(ServiceSpec[]::new));

        supervisor.start();

        for (int i = 1; i < 8; i++) {
            assertStartsAfterReady("p" + i, "p" + (i + 1));
        }
        assertThat(h.events.stream()
                        .filter(e -> e.state() == ServiceState.STARTING)
                        .map(ServiceEvent::service))
                .containsExactly("p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1");
    }

    @Test
    void aRhombusStartsItsTwoMiddlesInParallel() throws IOException {
        // process-compose-chain-rhombus.yaml: 5 depends on 6 and 7, both depend on 8.
        ProcessSupervisor supervisor = h.supervisor(
                server("p5", Duration.ZERO)
                        .dependsOn("p6", DependencyCondition.READY)
                        .dependsOn("p7", DependencyCondition.READY)
                        .build(),
                server("p6", Duration.ofMillis(700))
                        .dependsOn("p8", DependencyCondition.READY)
                        .build(),
                server("p7", Duration.ofMillis(700))
                        .dependsOn("p8", DependencyCondition.READY)
                        .build(),
                server("p8", Duration.ZERO).build());

        supervisor.start();

        assertStartsAfterReady("p6", "p8");
        assertStartsAfterReady("p7", "p8");
        assertStartsAfterReady("p5", "p6");
        assertStartsAfterReady("p5", "p7");
        assertThat(h.indexOf("p6", ServiceState.STARTING)).isLessThan(h.indexOf("p7", ServiceState.READY));
        assertThat(h.indexOf("p7", ServiceState.STARTING)).isLessThan(h.indexOf("p6", ServiceState.READY));
    }

    @Test
    void fanOutStartsEveryDependentOnceTheirCommonDependencyIsReady() throws IOException {
        // process-compose-many-for-one.yaml: seven services depend on process1.
        List<ServiceSpec> specs = new ArrayList<>();
        specs.add(server("process1", Duration.ofMillis(300)).build());
        for (int i = 2; i <= 8; i++) {
            specs.add(server("process" + i, Duration.ZERO)
                    .dependsOn("process1", DependencyCondition.READY)
                    .build());
        }
        ProcessSupervisor supervisor = h.supervisor(specs.toArray(ServiceSpec[]::new));

        supervisor.start();

        for (int i = 2; i <= 8; i++) {
            assertStartsAfterReady("process" + i, "process1");
            assertThat(supervisor.state("process" + i)).isEqualTo(ServiceState.READY);
        }
    }

    @Test
    void fanInWaitsForEveryDependency() throws IOException {
        // process-compose-one-for-many.yaml: process2 depends on seven others.
        ServiceSpec.Builder process2 = server("process2", Duration.ZERO);
        List<ServiceSpec> specs = new ArrayList<>();
        for (int i = 3; i <= 9; i++) {
            process2.dependsOn("process" + i, DependencyCondition.READY);
            specs.add(server("process" + i, Duration.ofMillis(100L * (i - 2))).build());
        }
        specs.add(0, process2.build());
        ProcessSupervisor supervisor = h.supervisor(specs.toArray(ServiceSpec[]::new));

        supervisor.start();

        for (int i = 3; i <= 9; i++) {
            assertStartsAfterReady("process2", "process" + i);
        }
        assertThat(h.count("process2", ServiceState.STARTING)).isEqualTo(1);
    }

    @Test
    void independentChainsRunInParallel() throws IOException {
        // process-compose-odd-then-even.yaml: four two-node chains, the even one depends on the odd one.
        List<ServiceSpec> specs = new ArrayList<>();
        for (int i = 1; i <= 8; i += 2) {
            specs.add(server("p" + (i + 1), Duration.ZERO)
                    .dependsOn("p" + i, DependencyCondition.READY)
                    .build());
            specs.add(server("p" + i, Duration.ofMillis(600)).build());
        }
        ProcessSupervisor supervisor = h.supervisor(specs.toArray(ServiceSpec[]::new));

        supervisor.start();

        for (int i = 1; i <= 8; i += 2) {
            assertStartsAfterReady("p" + (i + 1), "p" + i);
            for (int j = 1; j <= 8; j += 2) {
                assertThat(h.indexOf("p" + i, ServiceState.STARTING))
                        .as("odd services start without waiting for each other")
                        .isLessThan(h.indexOf("p" + j, ServiceState.READY));
            }
        }
    }

    @Test
    void aCycleIsRejectedNamingItsServices() {
        List<String> idle = FixtureProcess.builder().command();
        ProcessSupervisor.Builder builder = ProcessSupervisor.builder()
                .service(ServiceSpec.builder("a", idle)
                        .dependsOn("b", DependencyCondition.READY)
                        .build())
                .service(ServiceSpec.builder("b", idle)
                        .dependsOn("c", DependencyCondition.STARTED)
                        .build())
                .service(ServiceSpec.builder("c", idle)
                        .dependsOn("a", DependencyCondition.READY)
                        .build())
                .service(ServiceSpec.builder("d", idle).build());

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependencies form a cycle among a, b, c");
    }

    @Test
    void aFailedDependencySkipsItsDependentsTransitivelyWithTheReason() {
        // process-compose-transitive-dep.yaml: A exits 1, so B (waiting for A to succeed) and C (waiting for B) are
        // skipped; D, independent, runs.
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture(
                                "a",
                                FixtureProcess.builder()
                                        .printErr("migration failed")
                                        .exit(1, Duration.ZERO))
                        .build(),
                h.fixture("b", FixtureProcess.builder())
                        .dependsOn("a", DependencyCondition.SUCCEEDED)
                        .build(),
                h.fixture("c", FixtureProcess.builder())
                        .dependsOn("b", DependencyCondition.READY)
                        .build(),
                h.fixture("d", FixtureProcess.builder()).build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("service 'a' exited with code 1");

        assertThat(h.states("b")).containsExactly(ServiceState.SKIPPED);
        assertThat(h.states("c")).containsExactly(ServiceState.SKIPPED);
        assertThat(h.of("b").get(0).message()).contains("service 'a' exited with code 1");
        assertThat(h.of("c").get(0).message())
                .startsWith("service 'c' was not started because a dependency failed: service 'b' was not started");
        assertThat(supervisor.state("a")).isEqualTo(ServiceState.FAILED);
        assertThat(h.awaitEvent("d", ServiceState.READY)).isNotNull();
    }

    @Test
    void successExitCodesCountAsSuccessAndOtherCodesAreRestarted() {
        // process-compose-success-exit-codes.yaml: 'allowed' exits 130 with success_exit_codes [130] and is done;
        // 'control' exits 130 too, and is restarted.
        RestartPolicy restart = RestartPolicy.onFailure(1, Duration.ZERO, Duration.ZERO);
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("allowed", FixtureProcess.builder().exit(130, Duration.ofMillis(100)))
                        .successExitCodes(Set.of(0, 130))
                        .restart(restart)
                        .build(),
                h.fixture("control", FixtureProcess.builder().exit(130, Duration.ofMillis(100)))
                        .restart(restart)
                        .build());

        supervisor.start();

        ServiceEvent exited = h.awaitEvent("allowed", ServiceState.EXITED);
        assertThat(exited.exitCode()).hasValue(130);
        h.awaitEvent("control", ServiceState.FAILED);
        assertThat(h.states("allowed")).containsExactly(ServiceState.STARTING, ServiceState.READY, ServiceState.EXITED);
        assertThat(h.states("control"))
                .containsExactly(
                        ServiceState.STARTING,
                        ServiceState.READY,
                        ServiceState.RESTARTING,
                        ServiceState.STARTING,
                        ServiceState.READY,
                        ServiceState.FAILED);
        assertThat(supervisor.status("allowed").restarts()).isZero();
        assertThat(supervisor.status("control").restarts()).isEqualTo(1);
    }

    @Test
    void aLogLineDependencyStartsItsDependentOnceTheLineIsPrinted() throws IOException {
        int port = FixtureProcess.freePort();
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("broker", FixtureProcess.builder().listen(port, Duration.ofMillis(300)))
                        .build(),
                h.fixture("worker", FixtureProcess.builder())
                        .dependsOn("broker", Dependency.logLine("listening on \\d+"))
                        .build());

        supervisor.start();

        assertThat(h.texts("broker")).contains("listening on " + port);
        assertThat(h.indexOf("worker", ServiceState.STARTING)).isGreaterThan(h.indexOf("broker", ServiceState.READY));
        assertThat(supervisor.state("worker")).isEqualTo(ServiceState.READY);
    }

    @Test
    void aDependencyThatDiesBeforePrintingItsLineDoesNotHangItsDependent() {
        // process-compose-dependent-on-failing-log-line.yml
        ProcessSupervisor supervisor = h.supervisor(
                h.fixture("db", FixtureProcess.builder().printErr("bad config").exit(1, Duration.ofMillis(200)))
                        .build(),
                h.fixture("api", FixtureProcess.builder())
                        .dependsOn("db", Dependency.logLine("ready to accept connections"))
                        .build());

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith("service 'db' exited with code 1");
        assertThat(h.states("api")).containsExactly(ServiceState.SKIPPED);
    }
}
