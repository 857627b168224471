package dev.farm.process;

/**
 * Where a service is in its life; each change is published as a {@link ServiceEvent}.
 *
 * @since 0.1
 */
public enum ServiceState {
    /** Not started yet: waiting for its dependencies or for {@link ProcessSupervisor#start()}. */
    PENDING,
    /** Its process runs but its readiness probe has not passed yet. */
    STARTING,
    /** Its process runs and its readiness probe has passed (or it has none). */
    READY,
    /** farm is stopping its process tree. */
    STOPPING,
    /** farm stopped it, and no process of its tree is left. */
    STOPPED,
    /** Its process ended on its own after it was ready. */
    EXITED,
    /** It could not start, or did not become ready in time, or ended before it was ready. */
    FAILED;

    /**
     * Tells whether the service's process has been started and has not ended.
     *
     * @return true for {@link #STARTING} and {@link #READY}
     */
    public boolean isRunning() {
        return this == STARTING || this == READY;
    }
}
