package dev.farm.process;

import java.nio.file.Path;

/**
 * Another farm, still alive, runs the services recorded in the state file, so this one does not start them a second
 * time.
 *
 * @since 0.1
 */
public final class AlreadyRunningException extends ProcessException {

    private static final long serialVersionUID = 1L;

    /** The running farm's process id. */
    private final long pid;

    /**
     * Creates the exception.
     *
     * @param pid the running farm's process id
     * @param stateFile the state file that names it
     */
    public AlreadyRunningException(long pid, Path stateFile) {
        super(
                "farm is already running this project (pid " + pid + ", see " + stateFile
                        + "). Stop it first (farm down, or Ctrl-C in its terminal).",
                null);
        this.pid = pid;
    }

    /**
     * Returns the running farm's process id.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }
}
