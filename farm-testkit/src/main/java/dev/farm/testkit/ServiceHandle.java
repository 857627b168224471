package dev.farm.testkit;

import dev.farm.process.ServiceState;
import dev.farm.process.ServiceStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * One service of a running stack: where it listens, its state, its recent output, and the means to restart or stop
 * it. Check it with {@link FarmAssertions#assertThat(ServiceHandle)}.
 *
 * <p>Thread-safe. Each call reads the service as it is now.
 *
 * @since 0.1
 */
public interface ServiceHandle {

    /**
     * Returns the service's name.
     *
     * @return the name, never {@code null}
     */
    String name();

    /**
     * Returns what {@code farm ps} shows of the service now.
     *
     * @return the status, never {@code null}
     */
    ServiceStatus status();

    /**
     * Returns the service's state now.
     *
     * @return the state, never {@code null}
     */
    ServiceState state();

    /**
     * Returns the port the service listens on.
     *
     * @return the port, or empty when its configuration gives none
     */
    OptionalInt port();

    /**
     * Returns the service's base URL.
     *
     * @return {@code http://127.0.0.1:<port>}, never {@code null}
     * @throws IllegalStateException when the service has no port
     */
    URI url();

    /**
     * Returns the lines the service wrote most recently, standard output and error together, oldest first; the
     * extension keeps the last 200 of each service.
     *
     * @return the lines without their line breaks, never {@code null}
     */
    List<String> recentLines();

    /**
     * Returns how often farm started the service again: after a crash, a restart, or a stop and a start.
     *
     * @return the number of processes farm started for it, less the first; 0 before it started
     */
    int restarts();

    /**
     * Restarts the service and returns once its new process is ready.
     *
     * @throws dev.farm.process.ProcessException when it cannot start again or is not ready in time
     */
    void restart();

    /**
     * Stops the service and returns once no process of it is left.
     */
    void stop();

    /**
     * Starts the service again, and what it needs, and returns once it is ready.
     *
     * @throws dev.farm.process.ProcessException when it cannot start or is not ready in time
     */
    void start();

    /**
     * Waits until the service is in a state.
     *
     * @param state the state to wait for
     * @param timeout how long to wait at most
     * @throws AssertionError when the time is up; the message names the state it is in and its recent lines
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void awaitState(ServiceState state, Duration timeout) throws InterruptedException;
}
