package dev.farm.process.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the processes an earlier farm of the same project left running, as its {@link StateFile} records them.
 *
 * <p>A recorded process is stopped only when its pid is alive <em>and</em> its start token is still the recorded one:
 * then it is the very process that farm started. A live pid with another token belongs to some process that got the
 * pid later; it is left alone. Stopping is the supervisor's: SIGTERM to the process group when the process leads
 * one (and to every descendant that left it), or to the process and its descendants otherwise; after the stop
 * timeout, SIGKILL to whatever is left. Nothing is stopped while the farm that owns the file still runs.
 */
final class StaleProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(StaleProcesses.class);

    /** How long a tree has to disappear after SIGKILL before the survivors are reported. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private StaleProcesses() {}

    /**
     * What {@link #clean} did.
     *
     * @param stopped the entries whose processes were still running and have been stopped, for the caller to report,
     *     for example {@code stopped 'api' (pid 4242, uvicorn main:app) left running by an earlier farm}
     * @param reused the entries whose pid now belongs to another process, which was left alone
     * @param runningOwner the pid of another farm that still runs this project and owns the file; when present,
     *     nothing was stopped or changed, and the caller should refuse to start: {@code farm is already running this
     *     project (pid N); stop it first}
     */
    record Result(List<StateFile.Entry> stopped, List<StateFile.Entry> reused, OptionalLong runningOwner) {
        Result {
            stopped = List.copyOf(stopped);
            reused = List.copyOf(reused);
            Objects.requireNonNull(runningOwner, "runningOwner");
        }
    }

    /**
     * Stops every process in the file that an earlier farm left running, then removes all the file's entries; does
     * nothing at all when another live farm owns the file. The calling process itself never counts as that other
     * farm, so a program that runs one stack after another in the same JVM can clean up after itself.
     *
     * @param file the project's state file
     * @param stopTimeout how long each stale tree has between SIGTERM and SIGKILL
     * @return what was stopped, what was left alone, or which farm owns the project
     */
    static Result clean(StateFile file, Duration stopTimeout) {
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        StateFile.Contents contents = file.contents();
        Optional<StateFile.Owner> owner = contents.owner();
        if (owner.isPresent()
                && owner.get().pid() != ProcessHandle.current().pid()
                && owner.get().alive()) {
            LOG.debug(
                    "{} belongs to farm pid {}, which still runs: stopping nothing",
                    file.file(),
                    owner.get().pid());
            return new Result(List.of(), List.of(), OptionalLong.of(owner.get().pid()));
        }
        List<StateFile.Entry> stopped = new ArrayList<>();
        List<StateFile.Entry> reused = new ArrayList<>();
        for (StateFile.Entry entry : contents.entries()) {
            Optional<ProcessHandle> process = ProcessHandle.of(entry.pid()).filter(ProcessTree::isAlive);
            if (process.isEmpty()) {
                LOG.debug("{} has ended", entry.describe());
            } else if (entry.pid() == ProcessHandle.current().pid()
                    || !StateFile.isIncarnation(entry.pid(), entry.startTime())) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "{}: the pid now belongs to another process (start token {}, recorded {}): leaving it"
                                    + " alone",
                            entry.describe(),
                            StateFile.startToken(entry.pid()).orElse("unknown"),
                            entry.startTime().isEmpty() ? "none" : entry.startTime());
                }
                reused.add(entry);
            } else {
                stop(entry, process.get(), stopTimeout);
                stopped.add(entry);
            }
        }
        if (!contents.entries().isEmpty()) {
            file.removeAll(contents.entries());
        }
        return new Result(stopped, reused, OptionalLong.empty());
    }

    /** Ends a stale tree: SIGTERM, the stop timeout, SIGKILL, a last wait. */
    private static void stop(StateFile.Entry entry, ProcessHandle root, Duration stopTimeout) {
        long pgid = entry.pgid();
        // Signal the group only if the process still leads it; a process that moved groups is signalled alone.
        boolean group = pgid == entry.pid()
                && ProcessTree.groupsSupported()
                && ProcessTree.stat(entry.pid())
                        .map(stat -> stat.pgrp() == pgid)
                        .orElse(false);
        List<ProcessHandle> known = new ArrayList<>();
        known.add(root);
        root.descendants().forEach(known::add);
        List<ProcessHandle> alive = ProcessTree.living(known, pgid, group);
        List<ProcessHandle> tracked = TreeStopper.merge(known, alive);
        LOG.debug(
                "{}: stopping {} process(es) left by an earlier farm{}",
                entry.describe(),
                alive.size(),
                group ? " through process group " + pgid : "");

        if (group) {
            ProcessTree.signalGroup(pgid, ProcessTree.Signal.TERM);
        }
        for (ProcessHandle process : alive) {
            if (!group || !inGroup(process, pgid)) {
                process.destroy(); // SIGTERM
            }
        }
        if (TreeStopper.waitUntil(() -> ProcessTree.living(tracked, pgid, group).isEmpty(), stopTimeout)) {
            return;
        }

        List<ProcessHandle> left = ProcessTree.living(tracked, pgid, group);
        LOG.debug(
                "{}: {} process(es) still alive {} after SIGTERM, killing", entry.describe(), left.size(), stopTimeout);
        if (group) {
            ProcessTree.signalGroup(pgid, ProcessTree.Signal.KILL);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> all = TreeStopper.merge(tracked, left);
        if (!TreeStopper.waitUntil(() -> ProcessTree.living(all, pgid, group).isEmpty(), KILL_WAIT)) {
            LOG.warn(
                    "{}: processes {} survived SIGKILL for {}; they may be stuck in the kernel (state D). Check them"
                            + " with ps.",
                    entry.describe(),
                    ProcessTree.living(all, pgid, group).stream()
                            .map(ProcessHandle::pid)
                            .collect(Collectors.toList()),
                    KILL_WAIT);
        }
    }

    private static boolean inGroup(ProcessHandle process, long pgid) {
        return ProcessTree.stat(process.pid()).map(stat -> stat.pgrp() == pgid).orElse(false);
    }
}
