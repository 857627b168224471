package dev.farm.testkit;

import dev.farm.process.ServiceEvent;
import dev.farm.process.ServiceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Records every {@link ServiceEvent} a supervisor publishes, so a test can wait for a state and check the order of
 * what happened. Register it as a listener: {@code ProcessSupervisor.builder().listener(recorder)}.
 *
 * <pre>{@code
 * ServiceEventRecorder events = new ServiceEventRecorder();
 * ... .listener(events) ...
 * ServiceEvent ready = events.await("api", ServiceState.READY, Duration.ofSeconds(30));
 * assertThat(events.states("api")).containsExactly(ServiceState.STARTING, ServiceState.READY);
 * }</pre>
 *
 * <p>Thread-safe: the supervisor's threads record while the test thread reads and waits.
 *
 * @since 0.1
 */
public final class ServiceEventRecorder implements Consumer<ServiceEvent> {

    private final List<ServiceEvent> events = new ArrayList<>();

    /** Creates an empty recorder. */
    public ServiceEventRecorder() {}

    @Override
    public synchronized void accept(ServiceEvent event) {
        events.add(event);
        notifyAll();
    }

    /**
     * Returns every event recorded so far, in the order they were published.
     *
     * @return a copy, never {@code null}
     */
    public synchronized List<ServiceEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Returns the states one service went through, in order.
     *
     * @param service the service's name
     * @return the states, never {@code null}
     */
    public synchronized List<ServiceState> states(String service) {
        return events.stream()
                .filter(e -> e.service().equals(service))
                .map(ServiceEvent::state)
                .collect(Collectors.toList());
    }

    /**
     * Waits until the service has entered the state, and returns the first event that says so, even if it was
     * recorded before the call.
     *
     * @param service the service's name
     * @param state the state to wait for
     * @param timeout how long to wait at most
     * @return the event
     * @throws AssertionError when the time is up; the message lists what the service did meanwhile
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public synchronized ServiceEvent await(String service, ServiceState state, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ServiceEvent> found = events.stream()
                    .filter(e -> e.service().equals(service) && e.state() == state)
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("service '" + service + "' did not reach " + state + " within " + timeout
                        + "; its states so far: " + states(service));
            }
            wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
        }
    }
}
