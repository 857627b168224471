package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farm.process.DependencyCondition;
import dev.farm.process.LogLine;
import dev.farm.process.Probes;
import dev.farm.process.ProcessSupervisor;
import dev.farm.process.RestartPolicy;
import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceSpec;
import dev.farm.process.ServiceState;
import dev.farm.testkit.fixture.FixtureProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a {@link ProcessSupervisor}, on real processes: services start in dependency order and readiness
 * gates their dependents; states, events and recent output lines tell what happens; one service can be stopped,
 * started and restarted while the others keep running; a crashing service is restarted as its {@link RestartPolicy}
 * says; {@link ProcessSupervisor#close()} leaves no process of any service's tree alive; unknown service names and use
 * outside the supervisor's life are refused.
 *
 * <p>Extend it with a test class that makes a supervisor of your implementation:
 *
 * <pre>{@code
 * @Timeout(120)
 * class MyProcessSupervisorCompatibilityIT extends ProcessSupervisorCompatibilityKit {
 *     @Override
 *     protected ProcessSupervisor supervisor(List<ServiceSpec> services, Consumer<ServiceEvent> listener) {
 *         return new MySupervisor(services, listener);
 *     }
 * }
 * }</pre>
 *
 * <p>The services are {@link FixtureProcess}es ({@code java} running a small fixture program), run in a
 * {@code @TempDir}; most have no readiness probe, so they are ready once started. Two tests use the built-in probes
 * that the supervisor must feed: {@link #startBringsServicesUpInDependencyOrderGatedByReadiness()} uses {@link
 * Probes#logLine(String)}, fed with the service's output lines, and {@link #aHeartbeatMakesAHeartbeatProbePass()} uses
 * {@link Probes#heartbeat(Duration)}, fed by {@link ProcessSupervisor#heartbeat(String)}. farm-process feeds them
 * through its internal classes, so an implementation that does not build on farm's supervisor cannot pass those two
 * yet. The kit closes every supervisor it made after each test. Name the subclass {@code *IT}: it starts processes. A
 * test that does not apply to an implementation can be turned off by overriding its method without {@code @Test}.
 *
 * @since 0.1
 */
@Timeout(120)
public abstract class ProcessSupervisorCompatibilityKit {

    private final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    private final List<ProcessSupervisor> supervisors = new ArrayList<>();
    private final AtomicInteger inListener = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private Path dir = Path.of("unset");

    /** For subclasses. */
    protected ProcessSupervisorCompatibilityKit() {}

    /**
     * Makes a supervisor of the implementation under test for these services; the kit starts and closes it.
     *
     * @param services the services, in the order {@link ProcessSupervisor#services()} must list them; their
     *     dependencies are among them and form no cycle
     * @param listener receives every {@link ServiceEvent}, as {@link ProcessSupervisor.Builder#listener(Consumer)}
     *     describes: synchronously, one event at a time, in order
     * @return a supervisor that is not started yet, never {@code null}
     */
    protected abstract ProcessSupervisor supervisor(List<ServiceSpec> services, Consumer<ServiceEvent> listener);

    @BeforeEach
    void folder(@TempDir Path tempDir) {
        dir = tempDir;
    }

    @AfterEach
    void closeSupervisors() {
        supervisors.forEach(ProcessSupervisor::close);
    }

    /**
     * Returns how long a test waits for something a service does (a state, a line, a stop) before it fails: 30 s
     * unless a subclass says otherwise.
     *
     * @return a positive duration
     */
    protected Duration patience() {
        return Duration.ofSeconds(30);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private void record(ServiceEvent event) {
        if (inListener.incrementAndGet() > 1) {
            overlapped.set(true);
        }
        try {
            events.add(event);
        } finally {
            inListener.decrementAndGet();
        }
    }

    private ProcessSupervisor supervisor(ServiceSpec... specs) {
        ProcessSupervisor supervisor = supervisor(List.of(specs), this::record);
        supervisors.add(supervisor);
        return supervisor;
    }

    private ServiceSpec.Builder fixture(String name, FixtureProcess.Builder fixture) {
        return ServiceSpec.builder(name, fixture.command()).workingDirectory(dir);
    }

    private Path folder(String name) {
        try {
            return Files.createDirectory(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> pids(Path folder) {
        try {
            return FixtureProcess.pids(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ServiceEvent> eventsOf(String service) {
        return events.stream().filter(e -> e.service().equals(service)).collect(Collectors.toList());
    }

    /** The service's states in event order, each run of one state (a state and its progress reports) as one. */
    private List<ServiceState> statesOf(String service) {
        List<ServiceState> states = new ArrayList<>();
        for (ServiceEvent event : eventsOf(service)) {
            if (states.isEmpty() || states.get(states.size() - 1) != event.state()) {
                states.add(event.state());
            }
        }
        return states;
    }

    private List<ServiceEvent> eventsOf(String service, ServiceState state) {
        return eventsOf(service).stream().filter(e -> e.state() == state).collect(Collectors.toList());
    }

    /** The position of the service's first event in that state among all events. */
    private int indexOf(String service, ServiceState state) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).service().equals(service) && events.get(i).state() == state) {
                return i;
            }
        }
        throw new AssertionError("no " + state + " event for " + service + " in " + events);
    }

    private static List<String> texts(ProcessSupervisor supervisor, String service) {
        return supervisor.recentLines(service).stream().map(LogLine::text).collect(Collectors.toList());
    }

    private void awaitState(ProcessSupervisor supervisor, String service, ServiceState state) {
        await().atMost(patience())
                .untilAsserted(() -> assertThat(supervisor.state(service))
                        .as("the state of %s", service)
                        .isEqualTo(state));
    }

    private static List<Long> running(List<Long> pids) {
        return pids.stream().filter(FixtureProcess::isRunning).collect(Collectors.toList());
    }

    // --------------------------------------------------------------------------------------------------- tests

    /** Checks that {@link ProcessSupervisor#services()} lists the services in the order given, all pending. */
    @Test
    public void servicesListsEveryServiceInTheOrderGiven() {
        ProcessSupervisor supervisor = supervisor(
                fixture("web", FixtureProcess.builder()).build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build(),
                fixture("db", FixtureProcess.builder()).build());

        assertThat(supervisor.services()).containsExactly("web", "api", "db");
        for (String service : supervisor.services()) {
            assertThat(supervisor.state(service))
                    .as("the state of %s before start()", service)
                    .isEqualTo(ServiceState.PENDING);
            assertThat(supervisor.pid(service))
                    .as("the pid of %s before start()", service)
                    .isEmpty();
        }
    }

    /**
     * Checks that {@link ProcessSupervisor#start()} starts a service only once what it depends on has reached the
     * condition (a log-line readiness probe passed, or a process started), and returns once every service is ready.
     */
    @Test
    public void startBringsServicesUpInDependencyOrderGatedByReadiness() {
        ProcessSupervisor supervisor = supervisor(
                fixture("worker", FixtureProcess.builder().print("worker idle"))
                        .dependsOn("api", DependencyCondition.STARTED)
                        .build(),
                fixture("api", FixtureProcess.builder().print("api up"))
                        .readiness(Probes.logLine("api up"))
                        .dependsOn("db", DependencyCondition.READY)
                        .build(),
                fixture("db", FixtureProcess.builder().print("db booting").listen(0, Duration.ofMillis(700)))
                        .readiness(Probes.logLine("listening on \\d+"))
                        .build());

        supervisor.start();

        for (String service : List.of("worker", "api", "db")) {
            assertThat(supervisor.state(service))
                    .as("the state of %s once start() returned", service)
                    .isEqualTo(ServiceState.READY);
            assertThat(statesOf(service))
                    .as("the states of %s", service)
                    .containsExactly(ServiceState.STARTING, ServiceState.READY);
            long pid = supervisor.pid(service).orElseThrow();
            assertThat(FixtureProcess.isRunning(pid))
                    .as("%s's process runs", service)
                    .isTrue();
            assertThat(supervisor.status(service).state()).isEqualTo(ServiceState.READY);
            assertThat(supervisor.status(service).pid()).hasValue(pid);
            assertThat(eventsOf(service, ServiceState.READY).get(0).pid()).hasValue(pid);
        }
        assertThat(indexOf("api", ServiceState.STARTING))
                .as("api starts after db is ready")
                .isGreaterThan(indexOf("db", ServiceState.READY));
        assertThat(indexOf("worker", ServiceState.STARTING))
                .as("worker starts after api started")
                .isGreaterThan(indexOf("api", ServiceState.STARTING));
        ServiceEvent dbStarting = eventsOf("db", ServiceState.STARTING).get(0);
        ServiceEvent dbReady = eventsOf("db", ServiceState.READY).get(0);
        assertThat(Duration.between(dbStarting.time(), dbReady.time()))
                .as("db was ready only once it printed its line, 700 ms after it started")
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(texts(supervisor, "db")).anyMatch(line -> line.matches("listening on \\d+"));
    }

    /** Checks that {@link ProcessSupervisor#recentLines(String)} holds each service's own output, in order. */
    @Test
    public void recentLinesHoldTheServicesOutput() {
        ProcessSupervisor supervisor = supervisor(
                fixture(
                                "talker",
                                FixtureProcess.builder()
                                        .print("one")
                                        .print("two")
                                        .printErr("three on stderr")
                                        .print("four"))
                        .build(),
                fixture("other", FixtureProcess.builder().print("other's line")).build(),
                fixture("job", FixtureProcess.builder().print("job done").exit(0, Duration.ZERO))
                        .build());

        supervisor.start();

        await().atMost(patience()).untilAsserted(() -> {
            assertThat(texts(supervisor, "talker")).hasSize(4);
            assertThat(texts(supervisor, "other")).isNotEmpty();
        });
        List<LogLine> lines = supervisor.recentLines("talker");
        assertThat(lines).allSatisfy(line -> assertThat(line.service()).isEqualTo("talker"));
        assertThat(lines.stream()
                        .filter(l -> l.stream() == LogLine.Stream.STDOUT)
                        .map(LogLine::text))
                .containsExactly("one", "two", "four");
        assertThat(lines.stream()
                        .filter(l -> l.stream() == LogLine.Stream.STDERR)
                        .map(LogLine::text))
                .containsExactly("three on stderr");
        assertThat(texts(supervisor, "other")).containsExactly("other's line");

        awaitState(supervisor, "job", ServiceState.EXITED);
        await().atMost(patience())
                .untilAsserted(() -> assertThat(texts(supervisor, "job"))
                        .as("the lines of a service that has ended")
                        .containsExactly("job done"));
    }

    /**
     * Checks that stopping a service stops its whole tree and leaves the services that depend on it running, and
     * that starting it again makes a new process.
     */
    @Test
    public void aServiceStopsAndStartsAloneWhileTheOthersKeepRunning() {
        Path dbPids = folder("db-pids");
        ProcessSupervisor supervisor = supervisor(
                fixture("db", FixtureProcess.builder().tree(2, 1).pidDirectory(dbPids))
                        .build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        long api = supervisor.pid("api").orElseThrow();
        long db = supervisor.pid("db").orElseThrow();
        await().atMost(patience()).until(() -> pids(dbPids).size() == 2);
        List<Long> dbTree = pids(dbPids);

        assertThat(supervisor.stop("db")).succeedsWithin(patience());

        assertThat(supervisor.state("db")).isEqualTo(ServiceState.STOPPED);
        assertThat(running(dbTree))
                .as("db's processes still running after stop(db)")
                .isEmpty();
        assertThat(statesOf("db")).endsWith(ServiceState.STOPPING, ServiceState.STOPPED);
        assertThat(supervisor.state("api")).as("api, which depends on db").isEqualTo(ServiceState.READY);
        assertThat(supervisor.pid("api")).hasValue(api);
        assertThat(FixtureProcess.isRunning(api)).as("api's process runs").isTrue();

        assertThat(supervisor.start("db")).succeedsWithin(patience());

        assertThat(supervisor.state("db")).isEqualTo(ServiceState.READY);
        assertThat(supervisor.pid("db").orElseThrow()).as("db's new pid").isNotEqualTo(db);
        assertThat(supervisor.pid("api")).hasValue(api);
    }

    /** Checks that restarting a service makes a new process with a new pid, and leaves the other services alone. */
    @Test
    public void restartGivesTheServiceANewProcessAndLeavesTheOthersAlone() {
        ProcessSupervisor supervisor = supervisor(
                fixture("db", FixtureProcess.builder()).build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        long db = supervisor.pid("db").orElseThrow();
        long api = supervisor.pid("api").orElseThrow();

        assertThat(supervisor.restart("api")).succeedsWithin(patience());

        long restarted = supervisor.pid("api").orElseThrow();
        assertThat(restarted).as("api's pid after restart").isNotEqualTo(api);
        assertThat(FixtureProcess.isRunning(api)).as("api's old process runs").isFalse();
        assertThat(FixtureProcess.isRunning(restarted))
                .as("api's new process runs")
                .isTrue();
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
        List<ServiceEvent> ready = eventsOf("api", ServiceState.READY);
        assertThat(ready).as("api's ready events").hasSize(2);
        assertThat(ready.get(1).pid()).hasValue(restarted);
        assertThat(supervisor.pid("db")).as("db's pid").hasValue(db);
        assertThat(FixtureProcess.isRunning(db)).as("db's process runs").isTrue();
        assertThat(statesOf("db")).containsExactly(ServiceState.STARTING, ServiceState.READY);
    }

    /**
     * Checks that a service that keeps crashing is restarted as its {@link RestartPolicy} says, each time as a new
     * process, and fails once the policy's budget is spent.
     */
    @Test
    public void aCrashingServiceIsRestartedByItsPolicyThenFails() {
        ProcessSupervisor supervisor = supervisor(fixture(
                        "crasher",
                        FixtureProcess.builder().print("crashing soon").exit(3, Duration.ofMillis(300)))
                .restart(RestartPolicy.onFailure(2, Duration.ofMillis(10), Duration.ofMillis(20)))
                .build());

        supervisor.start();

        awaitState(supervisor, "crasher", ServiceState.FAILED);
        List<ServiceEvent> starts = eventsOf("crasher", ServiceState.STARTING);
        assertThat(starts).as("starts: the first and two restarts").hasSize(3);
        assertThat(starts.stream().map(e -> e.pid().orElseThrow()).distinct().count())
                .as("every start is a new process")
                .isEqualTo(3);
        assertThat(eventsOf("crasher", ServiceState.RESTARTING)).hasSize(2);
        assertThat(statesOf("crasher")).endsWith(ServiceState.FAILED);
        ServiceEvent failed = eventsOf("crasher", ServiceState.FAILED).get(0);
        assertThat(failed.exitCode()).hasValue(3);
        assertThat(supervisor.status("crasher").restarts()).isEqualTo(2);
        assertThat(starts)
                .allSatisfy(
                        start -> assertThat(FixtureProcess.isRunning(start.pid().orElseThrow()))
                                .isFalse());
    }

    /** Checks that without a restart policy a service that ends stays ended: failed, or exited on success. */
    @Test
    public void aServiceWithoutRestartPolicyIsNotRestarted() {
        ProcessSupervisor supervisor = supervisor(
                fixture("crasher", FixtureProcess.builder().exit(3, Duration.ofMillis(500)))
                        .build(),
                fixture("task", FixtureProcess.builder().exit(0, Duration.ofMillis(500)))
                        .build());

        supervisor.start();

        awaitState(supervisor, "crasher", ServiceState.FAILED);
        awaitState(supervisor, "task", ServiceState.EXITED);
        for (String service : List.of("crasher", "task")) {
            assertThat(eventsOf(service, ServiceState.STARTING))
                    .as("%s's starts", service)
                    .hasSize(1);
            assertThat(eventsOf(service, ServiceState.RESTARTING))
                    .as("%s's restarts", service)
                    .isEmpty();
        }
        assertThat(eventsOf("crasher", ServiceState.FAILED).get(0).exitCode()).hasValue(3);
        assertThat(eventsOf("task", ServiceState.EXITED).get(0).exitCode()).hasValue(0);
    }

    /**
     * Checks that {@link ProcessSupervisor#close()} leaves no process alive: not of a tree three levels deep, not of a
     * child that left the process group, not of a tree that ignores SIGTERM.
     */
    @Test
    public void closeLeavesNoProcessOfAnyTreeAlive() {
        Path pids = folder("pids");
        ProcessSupervisor supervisor = supervisor(
                fixture(
                                "web",
                                FixtureProcess.builder()
                                        .tree(3, 1)
                                        .escapingChild()
                                        .pidDirectory(pids))
                        .build(),
                fixture(
                                "stubborn",
                                FixtureProcess.builder()
                                        .ignoreSigterm()
                                        .tree(2, 1)
                                        .pidDirectory(pids))
                        .stopTimeout(Duration.ofMillis(500))
                        .dependsOn("web", DependencyCondition.STARTED)
                        .build());
        supervisor.start();
        // web, its child and grandchild, the escaping child; stubborn and its child
        await().atMost(patience()).until(() -> pids(pids).size() == 6);
        List<Long> started = pids(pids);
        assertThat(running(started)).as("the processes running before close()").hasSize(6);

        supervisor.close();

        assertThat(running(started)).as("processes still running after close()").isEmpty();
        assertThat(supervisor.state("web")).isEqualTo(ServiceState.STOPPED);
        assertThat(supervisor.state("stubborn")).isEqualTo(ServiceState.STOPPED);
    }

    /** Checks that every method that takes a service name refuses an unknown one, naming it. */
    @Test
    public void anUnknownServiceNameIsRefusedNamingIt() {
        ProcessSupervisor supervisor =
                supervisor(fixture("api", FixtureProcess.builder()).build());
        supervisor.start();
        String unknown = "no-such-service";

        Map<String, ThrowingCallable> calls = Map.ofEntries(
                Map.entry("state", () -> supervisor.state(unknown)),
                Map.entry("pid", () -> supervisor.pid(unknown)),
                Map.entry("status", () -> supervisor.status(unknown)),
                Map.entry("waiting", () -> supervisor.waiting(unknown)),
                Map.entry("recentLines", () -> supervisor.recentLines(unknown)),
                Map.entry("stats", () -> supervisor.stats(unknown)),
                Map.entry("heartbeat", () -> supervisor.heartbeat(unknown)),
                Map.entry("start", () -> supervisor.start(unknown).get()),
                Map.entry("stop", () -> supervisor.stop(unknown).get()),
                Map.entry("restart", () -> supervisor.restart(unknown).get()),
                Map.entry(
                        "update",
                        () -> supervisor
                                .update(fixture(unknown, FixtureProcess.builder())
                                        .build())
                                .get()));
        calls.forEach((method, call) -> assertThatThrownBy(call)
                .as("%s(\"%s\")", method, unknown)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(unknown));
        assertThat(supervisor.state("api")).isEqualTo(ServiceState.READY);
    }

    /**
     * Checks that {@link ProcessSupervisor#heartbeat(String)} makes a {@link Probes#heartbeat(Duration)} readiness
     * probe pass, and refuses a service it does not know.
     */
    @Test
    public void aHeartbeatMakesAHeartbeatProbePass() {
        ProcessSupervisor supervisor = supervisor(fixture("domain", FixtureProcess.builder())
                .readiness(Probes.heartbeat(Duration.ofSeconds(30)))
                .build());
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    try {
                        supervisor.start();
                        started.complete(null);
                    } catch (RuntimeException | Error e) {
                        started.completeExceptionally(e);
                    }
                },
                "kit-starter");
        starter.setDaemon(true);
        starter.start();
        await().atMost(patience())
                .until(() -> !eventsOf("domain", ServiceState.STARTING).isEmpty());
        assertThat(started).as("start() before the first heartbeat").isNotDone();
        assertThat(supervisor.state("domain")).isEqualTo(ServiceState.STARTING);

        assertThatThrownBy(() -> supervisor.heartbeat("no-such-domain"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-domain");
        supervisor.heartbeat("domain");

        assertThat(started).as("start() after the first heartbeat").succeedsWithin(patience());
        assertThat(supervisor.state("domain")).isEqualTo(ServiceState.READY);
    }

    /**
     * Checks that events reach the listener one at a time, in the order the states changed, and that each service's
     * last event is its state.
     */
    @Test
    public void eventsReachTheListenerOneAtATimeInOrder() {
        ProcessSupervisor supervisor = supervisor(
                fixture("db", FixtureProcess.builder()).build(),
                fixture("api", FixtureProcess.builder())
                        .dependsOn("db", DependencyCondition.READY)
                        .build());
        supervisor.start();
        assertThat(supervisor.stop("api")).succeedsWithin(patience());

        supervisor.close();

        assertThat(overlapped).as("two listener calls overlapped").isFalse();
        List<ServiceState> lifetime =
                List.of(ServiceState.STARTING, ServiceState.READY, ServiceState.STOPPING, ServiceState.STOPPED);
        assertThat(statesOf("db")).as("db's states").containsExactlyElementsOf(lifetime);
        assertThat(statesOf("api")).as("api's states").containsExactlyElementsOf(lifetime);
        assertThat(indexOf("api", ServiceState.STARTING)).isGreaterThan(indexOf("db", ServiceState.READY));
        assertThat(indexOf("db", ServiceState.STOPPING)).isGreaterThan(indexOf("api", ServiceState.STOPPED));
        for (String service : List.of("db", "api")) {
            List<ServiceEvent> own = eventsOf(service);
            assertThat(own)
                    .extracting(ServiceEvent::time)
                    .as("%s's event times", service)
                    .isSorted();
            assertThat(own.get(own.size() - 1).state()).isEqualTo(supervisor.state(service));
            long pid = eventsOf(service, ServiceState.STARTING).get(0).pid().orElseThrow();
            assertThat(eventsOf(service, ServiceState.READY).get(0).pid()).hasValue(pid);
        }
    }

    /**
     * Checks the supervisor's life: per-service calls before {@link ProcessSupervisor#start()} and anything after
     * {@link ProcessSupervisor#close()} throw {@link IllegalStateException}; start() works once; close() may be
     * called twice.
     */
    @Test
    public void itStartsOnceAndRefusesUseOutsideItsLife() {
        ProcessSupervisor supervisor =
                supervisor(fixture("api", FixtureProcess.builder()).build());

        assertThatThrownBy(() -> supervisor.stop("api").get())
                .as("stop before start()")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> supervisor.restart("api").get())
                .as("restart before start()")
                .isInstanceOf(IllegalStateException.class);
        supervisor.start();
        assertThatThrownBy(supervisor::start).as("a second start()").isInstanceOf(IllegalStateException.class);
        long pid = supervisor.pid("api").orElseThrow();

        supervisor.close();
        supervisor.close();

        assertThat(FixtureProcess.isRunning(pid)).as("api's process runs").isFalse();
        assertThatThrownBy(supervisor::start).as("start() after close()").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> supervisor.start("api").get())
                .as("start(api) after close()")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> supervisor.restart("api").get())
                .as("restart(api) after close()")
                .isInstanceOf(IllegalStateException.class);
    }
}
