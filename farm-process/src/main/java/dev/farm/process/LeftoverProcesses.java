package dev.farm.process;

import dev.farm.process.internal.Diagnostics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The processes an earlier farm of a project left running, as the state file it kept says (see {@link
 * ProcessSupervisor.Builder#stateFile(Path)}), for tools such as {@code farm doctor} that look before they start
 * anything.
 *
 * <p>A recorded process counts only while its pid is alive <em>with the start time that was recorded</em>: a pid the
 * system has since given to another process is reported as reused and never touched. {@link ProcessSupervisor#start()}
 * stops leftovers by itself; {@link #stop(Path, Duration)} does the same without starting anything.
 *
 * @since 0.1
 */
public final class LeftoverProcesses {

    private LeftoverProcesses() {}

    /**
     * Returns where a project keeps its state file: {@code PROJECT/.farm/state.json}.
     *
     * @param projectDirectory the project folder
     * @return the file's path; the file may not exist
     */
    public static Path stateFile(Path projectDirectory) {
        return projectDirectory.resolve(".farm").resolve("state.json");
    }

    /**
     * Reads the state file and tells which recorded processes still run, touching nothing. A missing file records
     * nothing; an unreadable one is logged at WARN and read as empty.
     *
     * @param stateFile the state file
     * @return what still runs, never {@code null}
     */
    public static Report inspect(Path stateFile) {
        return Diagnostics.inspect(Objects.requireNonNull(stateFile, "stateFile"));
    }

    /**
     * Stops every recorded process that an earlier farm left running, with its whole process tree (SIGTERM, then
     * SIGKILL after {@code stopTimeout}), and forgets the file's entries; does nothing while the farm that wrote the
     * file still runs.
     *
     * @param stateFile the state file
     * @param stopTimeout how long each tree has between SIGTERM and SIGKILL
     * @return what was stopped ({@link Report#running()}) and what was left alone, or which farm still runs
     */
    public static Report stop(Path stateFile, Duration stopTimeout) {
        if (stopTimeout.isNegative() || stopTimeout.isZero()) {
            throw new IllegalArgumentException("stopTimeout: " + stopTimeout + " (expected: > 0)");
        }
        return Diagnostics.stop(Objects.requireNonNull(stateFile, "stateFile"), stopTimeout);
    }

    /**
     * One process a state file records.
     *
     * @param service the service it ran
     * @param pid its process id
     * @param pgid its process group id, equal to {@code pid} when it leads its own group
     * @param command its command line
     * @param port the port the service listened on, if it had one
     * @since 0.1
     */
    public record Entry(String service, long pid, long pgid, String command, OptionalInt port) {

        /**
         * Validates the components.
         *
         * @param service the service it ran
         * @param pid its process id
         * @param pgid its process group id
         * @param command its command line
         * @param port its port, if any
         */
        public Entry {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(port, "port");
        }

        /**
         * Describes the entry for a message: {@code 'api' (pid 4242, uvicorn main:app)}.
         *
         * @return the description
         */
        public String describe() {
            return "'" + service + "' (pid " + pid + (command.isEmpty() ? "" : ", " + command) + ")";
        }
    }

    /**
     * What a state file says still runs.
     *
     * @param runningFarm the pid of the farm that wrote the file when it still runs; then {@code running} are its
     *     services, not leftovers
     * @param running the recorded processes that still run as the very processes farm started (for {@link
     *     #stop(Path, Duration)}: those it stopped)
     * @param reused the recorded pids that now belong to other processes, which farm leaves alone
     * @since 0.1
     */
    public record Report(OptionalLong runningFarm, List<Entry> running, List<Entry> reused) {

        /**
         * Validates the components and copies the lists.
         *
         * @param runningFarm the live farm that owns the file, if any
         * @param running the recorded processes still running
         * @param reused the recorded pids now reused
         */
        public Report {
            Objects.requireNonNull(runningFarm, "runningFarm");
            running = List.copyOf(running);
            reused = List.copyOf(reused);
        }

        /**
         * Returns the leftovers: the processes still running while no farm owns the file.
         *
         * @return the leftovers, never {@code null}
         */
        public List<Entry> stale() {
            return runningFarm.isPresent() ? List.of() : running;
        }
    }
}
