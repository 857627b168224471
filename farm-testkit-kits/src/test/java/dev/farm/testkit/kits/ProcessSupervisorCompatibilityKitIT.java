package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.process.LogLine;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStats;
import dev.farm.process.ServiceStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The supervisor kit catches broken supervisors: farm's own, given specs without readiness probes or without
 * dependencies, and one whose {@code close()} kills each service's own process only, as Commons Exec's watchdog does,
 * leaving the rest of the tree running.
 */
@Timeout(120)
class ProcessSupervisorCompatibilityKitIT {

    /** The real supervisors behind the broken ones, closed after each test. */
    static final List<ProcessSupervisor> DELEGATES = new CopyOnWriteArrayList<>();

    /** What a broken close() left running, killed after each test. */
    static final List<ProcessHandle> LEFT = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ProcessHandle process : LEFT) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : LEFT) {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        LEFT.clear();
        DELEGATES.forEach(ProcessSupervisor::close);
        DELEGATES.clear();
    }

    @Test
    void aSupervisorWhoseCloseKillsOnlyTheRootProcessFailsTheCloseTest() {
        KitRuns.Run run = KitRuns.run(KillsOnlyTheRootCase.class, "closeLeavesNoProcessOfAnyTreeAlive");

        assertThat(run.failed()).containsExactly("closeLeavesNoProcessOfAnyTreeAlive");
        assertThat(run.failure("closeLeavesNoProcessOfAnyTreeAlive"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("processes still running after close()");
        assertThat(LEFT.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList()))
                .as("the processes the broken close() left")
                .isNotEmpty();
    }

    @Test
    void aSupervisorThatDoesNotWaitForReadinessFailsTheStartOrderTest() {
        KitRuns.Run run = KitRuns.run(NoReadinessCase.class, "startBringsServicesUpInDependencyOrderGatedByReadiness");

        assertThat(run.failed()).containsExactly("startBringsServicesUpInDependencyOrderGatedByReadiness");
        assertThat(run.failure("startBringsServicesUpInDependencyOrderGatedByReadiness"))
                .hasMessageContaining("db was ready only once it printed its line");
    }

    @Test
    void aSupervisorThatStartsEverythingAtOnceFailsTheStartOrderTest() {
        KitRuns.Run run =
                KitRuns.run(NoDependenciesCase.class, "startBringsServicesUpInDependencyOrderGatedByReadiness");

        assertThat(run.failed()).containsExactly("startBringsServicesUpInDependencyOrderGatedByReadiness");
        assertThat(run.failure("startBringsServicesUpInDependencyOrderGatedByReadiness"))
                .hasMessageContaining("api starts after db is ready");
    }

    /** A copy of a spec without its readiness probe, or without its dependencies. */
    private static ServiceSpec without(ServiceSpec s, boolean readiness, boolean dependencies) {
        return new ServiceSpec(
                s.name(),
                s.kind(),
                s.command(),
                s.stopCommand(),
                s.workingDirectory(),
                s.environment(),
                s.freshEnvironment(),
                s.port(),
                s.autoPort(),
                readiness ? Optional.empty() : s.readiness(),
                s.readyTimeout(),
                s.liveness(),
                dependencies ? Map.of() : s.dependencies(),
                s.restart(),
                s.stopTimeout(),
                s.stopSignal(),
                s.successExitCodes(),
                s.adopt(),
                s.setup());
    }

    /** farm's supervisor, given the specs without their readiness probes: ready as soon as started. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class NoReadinessCase extends ProcessSupervisorCompatibilityKit {
        @Override
        protected ProcessSupervisor supervisor(List<ServiceSpec> services, Consumer<ServiceEvent> listener) {
            return ProcessSupervisor.builder()
                    .services(
                            services.stream().map(s -> without(s, true, false)).collect(Collectors.toList()))
                    .listener(listener)
                    .build();
        }
    }

    /** farm's supervisor, given the specs without their dependencies: everything starts at once. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class NoDependenciesCase extends ProcessSupervisorCompatibilityKit {
        @Override
        protected ProcessSupervisor supervisor(List<ServiceSpec> services, Consumer<ServiceEvent> listener) {
            return ProcessSupervisor.builder()
                    .services(
                            services.stream().map(s -> without(s, false, true)).collect(Collectors.toList()))
                    .listener(listener)
                    .build();
        }
    }

    /** farm's supervisor, except that close() sends SIGKILL to each service's own process and returns. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class KillsOnlyTheRootCase extends ProcessSupervisorCompatibilityKit {
        @Override
        protected ProcessSupervisor supervisor(List<ServiceSpec> services, Consumer<ServiceEvent> listener) {
            ProcessSupervisor delegate = ProcessSupervisor.builder()
                    .services(services)
                    .listener(listener)
                    .build();
            DELEGATES.add(delegate);
            return new KillsOnlyTheRoot(delegate);
        }
    }

    private static final class KillsOnlyTheRoot implements ProcessSupervisor {
        private final ProcessSupervisor delegate;

        KillsOnlyTheRoot(ProcessSupervisor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void close() {
            for (String service : delegate.services()) {
                delegate.pid(service).stream()
                        .boxed()
                        .flatMap(pid -> ProcessHandle.of(pid).stream())
                        .forEach(root -> {
                            root.descendants().forEach(LEFT::add); // for the test's clean-up
                            root.destroyForcibly();
                            root.onExit().join();
                        });
            }
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public List<String> services() {
            return delegate.services();
        }

        @Override
        public ServiceState state(String service) {
            return delegate.state(service);
        }

        @Override
        public OptionalLong pid(String service) {
            return delegate.pid(service);
        }

        @Override
        public ServiceStatus status(String service) {
            return delegate.status(service);
        }

        @Override
        public List<LogLine> recentLines(String service) {
            return delegate.recentLines(service);
        }

        @Override
        public CompletableFuture<Void> start(String service) {
            return delegate.start(service);
        }

        @Override
        public CompletableFuture<Void> stop(String service) {
            return delegate.stop(service);
        }

        @Override
        public CompletableFuture<Void> restart(String service) {
            return delegate.restart(service);
        }

        @Override
        public ServiceStats stats(String service) {
            return delegate.stats(service);
        }

        @Override
        public CompletableFuture<Void> update(ServiceSpec spec) {
            return delegate.update(spec);
        }

        @Override
        public void heartbeat(String service) {
            delegate.heartbeat(service);
        }
    }
}
