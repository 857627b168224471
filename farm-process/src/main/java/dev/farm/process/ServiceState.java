package dev.farm.process;

/**
 * Where a service is in its life; each change is published as a {@link ServiceEvent}.
 *
 * <p>A service starts {@link #PENDING}, goes through {@link #STARTING} to {@link #READY}, and ends {@link #STOPPED}
 * (farm stopped it), {@link #EXITED} (it ended on its own with a success code, and is not restarted), {@link #FAILED}
 * (it could not start, was not ready in time, or crashed past its restart budget) or {@link #SKIPPED} (a dependency
 * failed, so it was never started). Between two incarnations it is {@link #RESTARTING}.
 *
 * @since 0.1
 */
public enum ServiceState {
    /** Not started yet: waiting for its dependencies or for {@link ProcessSupervisor#start()}. */
    PENDING,
    /** Its process runs (or its daemon is being started) but its readiness probe has not passed yet. */
    STARTING,
    /** Its process runs and its readiness probe has passed (or it has none). */
    READY,
    /** Its last incarnation ended and the next one starts once the backoff delay has passed. */
    RESTARTING,
    /** farm is stopping its process tree. */
    STOPPING,
    /** farm stopped it, and no process of its tree is left; or farm left alone what it did not start. */
    STOPPED,
    /** Its process ended on its own, with one of its success exit codes or as a task others waited to complete. */
    EXITED,
    /** It could not start, was not ready in time, ended with a failure, or crashed more often than its budget. */
    FAILED,
    /** It was never started because a dependency failed or was skipped. */
    SKIPPED;

    /**
     * Tells whether the service's process has been started and has not ended.
     *
     * @return true for {@link #STARTING} and {@link #READY}
     */
    public boolean isRunning() {
        return this == STARTING || this == READY;
    }

    /**
     * Tells whether the service has settled for good: nothing more happens to it until someone starts it again.
     *
     * @return true for {@link #STOPPED}, {@link #EXITED}, {@link #FAILED} and {@link #SKIPPED}
     */
    public boolean isFinal() {
        return this == STOPPED || this == EXITED || this == FAILED || this == SKIPPED;
    }
}
