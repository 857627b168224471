package dev.farm.process.internal;

import dev.farm.process.StopSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an incarnation's whole process tree: the stop signal to its group and to every descendant that left it, then,
 * after the stop timeout, SIGKILL to whatever is left; done only when {@code /proc} shows no member of the group or
 * session and no descendant alive.
 */
final class TreeStopper {

    private static final Logger LOG = LoggerFactory.getLogger(TreeStopper.class);

    /** How long a process tree has to disappear after SIGKILL before farm reports survivors. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private TreeStopper() {}

    /**
     * Stops the tree.
     *
     * @return the pids that survived even SIGKILL; empty when nothing of the tree is left
     */
    static List<Long> terminate(
            Incarnation inc, StopSignal stopSignal, Duration stopTimeout, String service, Optional<Reaper> reaper) {
        Process process = inc.process;
        long pgid = process.pid();
        List<ProcessHandle> known = new ArrayList<>();
        known.add(process.toHandle());
        process.descendants().forEach(known::add);
        if (inc.groupLeader
                && !process.isAlive()
                && ProcessTree.groupMembers(pgid).isEmpty()) {
            inc.groupGone = true;
        }
        boolean group = inc.groupLeader && !inc.groupGone;
        List<ProcessHandle> alive = ProcessTree.living(known, pgid, group);
        if (alive.isEmpty()) {
            return List.of();
        }
        known = merge(known, alive);

        ProcessTree.Signal signal = ProcessTree.Signal.valueOf(stopSignal.name());
        Set<Long> members = new HashSet<>();
        if (group) {
            ProcessTree.groupMembers(pgid).forEach(member -> members.add(member.pid()));
            signalGroup(reaper, pgid, signal);
        }
        for (ProcessHandle handle : alive) {
            if (!members.contains(handle.pid())) {
                if (signal == ProcessTree.Signal.TERM || !ProcessTree.signalProcess(handle.pid(), signal)) {
                    handle.destroy(); // SIGTERM; unlike Process.destroy() it leaves our end of the pipes open
                }
            }
        }
        List<ProcessHandle> tracked = known;
        if (waitUntil(() -> ProcessTree.living(tracked, pgid, group).isEmpty(), stopTimeout)) {
            return List.of();
        }

        List<ProcessHandle> left = ProcessTree.living(tracked, pgid, group);
        LOG.debug(
                "{}: {} process(es) still alive {} after SIG{}, killing: {}",
                service,
                left.size(),
                stopTimeout,
                signal,
                left.stream().map(ProcessHandle::pid).collect(Collectors.toList()));
        if (group) {
            signalGroup(reaper, pgid, ProcessTree.Signal.KILL);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> all = merge(tracked, left);
        if (waitUntil(() -> ProcessTree.living(all, pgid, group).isEmpty(), KILL_WAIT)) {
            return List.of();
        }
        List<Long> survivors = ProcessTree.living(all, pgid, group).stream()
                .map(ProcessHandle::pid)
                .collect(Collectors.toList());
        LOG.warn("{}: processes {} survived SIGKILL for {}", service, survivors, KILL_WAIT);
        return survivors;
    }

    /** SIGKILLs the group and every descendant at once, without waiting. */
    static void kill(Incarnation inc, Optional<Reaper> reaper) {
        Process process = inc.process;
        List<ProcessHandle> known = new ArrayList<>();
        known.add(process.toHandle());
        process.descendants().forEach(known::add);
        boolean group = inc.groupLeader && !inc.groupGone;
        if (group) {
            signalGroup(reaper, process.pid(), ProcessTree.Signal.KILL);
        }
        ProcessTree.living(known, process.pid(), group).forEach(ProcessHandle::destroyForcibly);
    }

    /** Signals a group through the reaper companion's built-in kill, or with the kill program when it is gone. */
    private static void signalGroup(Optional<Reaper> reaper, long pgid, ProcessTree.Signal signal) {
        if (reaper.isEmpty() || !reaper.get().signalGroup(pgid, signal)) {
            ProcessTree.signalGroup(pgid, signal);
        }
    }

    static List<ProcessHandle> merge(List<ProcessHandle> a, List<ProcessHandle> b) {
        Map<Long, ProcessHandle> all = new LinkedHashMap<>();
        a.forEach(h -> all.putIfAbsent(h.pid(), h));
        b.forEach(h -> all.putIfAbsent(h.pid(), h));
        return List.copyOf(all.values());
    }

    /** Polls a condition every few milliseconds, backing off to 50 ms, until it holds or the time is up. */
    static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) {
                return condition.getAsBoolean();
            }
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
        }
        return true;
    }
}
