package dev.farm.process.internal;

import dev.farm.process.LeftoverProcesses;
import dev.farm.process.PortHolder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** The bridge from the public diagnostics ({@link PortHolder}, {@link LeftoverProcesses}) to their implementations. */
public final class Diagnostics {

    private Diagnostics() {}

    /**
     * Who listens on a port.
     *
     * @param port 1-65535
     * @return the holder, or empty when the port is free
     */
    public static Optional<PortHolder> portHolder(int port) {
        return PortCheck.holder(port)
                .map(h -> new PortHolder(h.pid() > 0 ? OptionalLong.of(h.pid()) : OptionalLong.empty(), h.command()));
    }

    /**
     * Reads a state file without touching anything.
     *
     * @param file the state file
     * @return what still runs
     */
    public static LeftoverProcesses.Report inspect(Path file) {
        StateFile state = new StateFile(file);
        StateFile.Contents contents = state.contents();
        long self = ProcessHandle.current().pid();
        OptionalLong owner = contents.owner()
                .filter(o -> o.pid() != self && o.alive())
                .map(o -> OptionalLong.of(o.pid()))
                .orElse(OptionalLong.empty());
        List<LeftoverProcesses.Entry> running = new ArrayList<>();
        List<LeftoverProcesses.Entry> reused = new ArrayList<>();
        for (StateFile.Entry entry : contents.entries()) {
            boolean alive =
                    ProcessHandle.of(entry.pid()).map(ProcessTree::isAlive).orElse(false);
            if (!alive) {
                continue;
            }
            if (entry.pid() != self && StateFile.isIncarnation(entry.pid(), entry.startTime())) {
                running.add(publicEntry(entry));
            } else {
                reused.add(publicEntry(entry));
            }
        }
        return new LeftoverProcesses.Report(owner, running, reused);
    }

    /**
     * Stops what an earlier farm left running.
     *
     * @param file the state file
     * @param stopTimeout how long each tree has between SIGTERM and SIGKILL
     * @return what was stopped and left alone, or which farm still runs
     */
    public static LeftoverProcesses.Report stop(Path file, Duration stopTimeout) {
        StateFile state = new StateFile(file);
        StaleProcesses.Result result = StaleProcesses.clean(state, stopTimeout);
        if (result.runningOwner().isPresent()) {
            return inspect(file);
        }
        state.forgetIfEmpty(); // nothing left to record: the next farm starts from a clean slate
        return new LeftoverProcesses.Report(
                OptionalLong.empty(),
                result.stopped().stream().map(Diagnostics::publicEntry).collect(Collectors.toList()),
                result.reused().stream().map(Diagnostics::publicEntry).collect(Collectors.toList()));
    }

    private static LeftoverProcesses.Entry publicEntry(StateFile.Entry entry) {
        return new LeftoverProcesses.Entry(entry.service(), entry.pid(), entry.pgid(), entry.command(), entry.port());
    }
}
