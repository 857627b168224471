package dev.farm.process;

import static org.awaitility.Awaitility.await;

import dev.farm.testkit.fixture.FixtureProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** What the supervisor integration tests share: supervisors closed after each test, and the events they published. */
final class Harness implements AutoCloseable {

    final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<LogLine> lines = new ConcurrentLinkedQueue<>();
    private final List<ProcessSupervisor> supervisors = new ArrayList<>();
    private final Path dir;

    Harness(Path dir) {
        this.dir = dir;
    }

    ProcessSupervisor supervisor(ServiceSpec... specs) {
        return supervisor(builder -> {}, specs);
    }

    ProcessSupervisor supervisor(Consumer<ProcessSupervisor.Builder> settings, ServiceSpec... specs) {
        ProcessSupervisor.Builder builder = ProcessSupervisor.builder()
                .services(List.of(specs))
                .listener(events::add)
                .logSink(lines::add);
        settings.accept(builder);
        ProcessSupervisor supervisor = builder.build();
        supervisors.add(supervisor);
        return supervisor;
    }

    ServiceSpec.Builder fixture(String name, FixtureProcess.Builder fixture) {
        return ServiceSpec.builder(name, fixture.command()).workingDirectory(dir);
    }

    /** The service's events, in order. */
    List<ServiceEvent> of(String service) {
        return events.stream().filter(e -> e.service().equals(service)).collect(Collectors.toList());
    }

    List<ServiceState> states(String service) {
        return of(service).stream().map(ServiceEvent::state).collect(Collectors.toList());
    }

    /** The position of the service's first event in that state, among all events. */
    int indexOf(String service, ServiceState state) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).service().equals(service) && events.get(i).state() == state) {
                return i;
            }
        }
        throw new AssertionError("no " + state + " event for " + service + " in " + events);
    }

    /** Waits for the service's first event in that state and returns it. */
    ServiceEvent awaitEvent(String service, ServiceState state) {
        return awaitEvent(service, state, 1);
    }

    /** Waits for the service's n-th event in that state (from 1) and returns it. */
    ServiceEvent awaitEvent(String service, ServiceState state, int nth) {
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        of(service).stream().filter(e -> e.state() == state).count() >= nth);
        return of(service).stream()
                .filter(e -> e.state() == state)
                .skip(nth - 1L)
                .findFirst()
                .orElseThrow();
    }

    long count(String service, ServiceState state) {
        return of(service).stream().filter(e -> e.state() == state).count();
    }

    List<String> texts(String service) {
        return lines.stream()
                .filter(l -> l.service().equals(service))
                .map(LogLine::text)
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        supervisors.forEach(ProcessSupervisor::close);
    }
}
