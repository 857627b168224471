package dev.farm.process.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform side of process trees: starting a process as a session leader, signalling its whole process group, and
 * finding every process that belongs to it.
 *
 * <p>On Linux a service starts through util-linux's {@code setsid}, so it leads a new session and process group whose
 * id is its pid; the group is signalled with {@code kill -s SIG -- -PGID} (Java cannot call {@code kill(2)} with a
 * negative pid, and farm-process takes no native dependency for one call), and its members are read from
 * {@code /proc}. Without {@code setsid} (macOS, Windows, minimal Linux images) processes are found by walking
 * descendants through {@link ProcessHandle}, which misses a process whose parent has already died.
 */
final class ProcessTree {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);

    static final Optional<Path> SETSID = executable("setsid");
    static final Optional<Path> KILL = executable("kill");
    static final boolean PROCFS = Files.isReadable(Path.of("/proc/self/stat"));

    private ProcessTree() {}

    /** The signals farm sends. */
    enum Signal {
        TERM,
        INT,
        QUIT,
        HUP,
        USR1,
        USR2,
        KILL
    }

    /** Tells whether services can be made leaders of their own process group here. */
    static boolean groupsSupported() {
        return SETSID.isPresent() && KILL.isPresent() && PROCFS;
    }

    /** The words to put before a service's command so it starts as a session leader; empty when unsupported. */
    static List<String> sessionLeaderPrefix() {
        return groupsSupported() ? List.of(SETSID.get().toString()) : List.of();
    }

    /** Explains, once, what farm does without process groups. */
    static void warnIfUnsupported() {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (!groupsSupported() && !windows) {
            LOG.warn("setsid (util-linux), kill or /proc is missing: services run in farm's process group and are"
                    + " stopped by walking their descendants, which misses processes whose parent already"
                    + " exited. Install util-linux and procps for whole-group stops.");
        }
    }

    /** Sends a signal to every process of a group; returns false when the group has no member left. */
    static boolean signalGroup(long pgid, Signal signal) {
        if (KILL.isEmpty()) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder(KILL.get().toString(), "-s", signal.name(), "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("cannot run {} to signal process group {}: {}", KILL.get(), pgid, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends a signal to one process with the kill program; false when it cannot. */
    static boolean signalProcess(long pid, Signal signal) {
        if (KILL.isEmpty()) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder(KILL.get().toString(), "-s", signal.name(), "--", Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Returns the living processes of a group or session: those whose process group or session id is {@code id}.
     * Zombies do not count: they are already dead. Empty where {@code /proc} is missing.
     */
    static List<ProcessHandle> groupMembers(long id) {
        if (!PROCFS) {
            return List.of();
        }
        List<ProcessHandle> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), ProcessTree::isPidEntry)) {
            for (Path entry : entries) {
                Optional<Stat> stat = stat(Long.parseLong(entry.getFileName().toString()));
                if (stat.isPresent() && !stat.get().zombie() && (stat.get().pgrp == id || stat.get().session == id)) {
                    ProcessHandle.of(stat.get().pid).ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list /proc: {}", e.toString());
        }
        return members;
    }

    /** Tells whether a process is alive and not a zombie. */
    static boolean isAlive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        return !PROCFS || stat(process.pid()).map(s -> !s.zombie()).orElse(false);
    }

    /** Every living process among the given ones, the group's members and their descendants, without duplicates. */
    static List<ProcessHandle> living(List<ProcessHandle> known, long pgid, boolean group) {
        if (PROCFS) {
            Map<Long, Stat> all = snapshot();
            List<Long> roots = known.stream()
                    .filter(ProcessHandle::isAlive) // the handle knows its start time: a reused pid is not it
                    .map(ProcessHandle::pid)
                    .collect(Collectors.toList());
            List<ProcessHandle> living = new ArrayList<>();
            for (Stat stat : tree(all, roots, pgid, group)) {
                ProcessHandle.of(stat.pid()).ifPresent(living::add);
            }
            return living;
        }
        Map<Long, ProcessHandle> all = new LinkedHashMap<>();
        for (ProcessHandle process : known) {
            all.putIfAbsent(process.pid(), process);
        }
        if (group) {
            for (ProcessHandle member : groupMembers(pgid)) {
                all.putIfAbsent(member.pid(), member);
            }
        }
        for (ProcessHandle process : List.copyOf(all.values())) {
            if (process.isAlive()) {
                process.descendants().forEach(d -> all.putIfAbsent(d.pid(), d));
            }
        }
        return all.values().stream().filter(ProcessTree::isAlive).collect(Collectors.toList());
    }

    /** How long one reading of every process serves every caller: many trees stopping at once share it. */
    private static final long SNAPSHOT_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

    private static final Object SNAPSHOT_LOCK = new Object();
    private static @Nullable Map<Long, Stat> snapshot;
    private static long snapshotAt;

    /** Every process in {@code /proc}, by pid, read at most once every few milliseconds across all threads. */
    static Map<Long, Stat> snapshot() {
        synchronized (SNAPSHOT_LOCK) {
            long now = System.nanoTime();
            Map<Long, Stat> last = snapshot;
            if (last != null && now - snapshotAt < SNAPSHOT_NANOS) {
                return last;
            }
            Map<Long, Stat> all = new HashMap<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), ProcessTree::isPidEntry)) {
                for (Path entry : entries) {
                    stat(Long.parseLong(entry.getFileName().toString())).ifPresent(s -> all.put(s.pid(), s));
                }
            } catch (IOException e) {
                LOG.debug("cannot list /proc: {}", e.toString());
            }
            snapshot = all;
            snapshotAt = System.nanoTime();
            return all;
        }
    }

    /**
     * Picks a tree out of every process: the roots, the members of group or session {@code pgid} when {@code group},
     * and every descendant of those; zombies excluded.
     *
     * @param all every process, by pid
     * @return the tree's processes, the roots first
     */
    static List<Stat> tree(Map<Long, Stat> all, Collection<Long> roots, long pgid, boolean group) {
        Map<Long, List<Stat>> children = new HashMap<>();
        for (Stat stat : all.values()) {
            children.computeIfAbsent(stat.ppid(), parent -> new ArrayList<>()).add(stat);
        }
        Map<Long, Stat> tree = new LinkedHashMap<>();
        Deque<Stat> pending = new ArrayDeque<>();
        for (long root : roots) {
            Stat stat = all.get(root);
            if (stat != null) {
                pending.add(stat);
            }
        }
        if (group) {
            for (Stat stat : all.values()) {
                if (stat.pgrp() == pgid || stat.session() == pgid) {
                    pending.add(stat);
                }
            }
        }
        while (!pending.isEmpty()) {
            Stat stat = pending.removeFirst();
            if (tree.putIfAbsent(stat.pid(), stat) == null) {
                pending.addAll(children.getOrDefault(stat.pid(), List.of()));
            }
        }
        return tree.values().stream().filter(stat -> !stat.zombie()).collect(Collectors.toList());
    }

    private static boolean isPidEntry(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /**
     * The fields of {@code /proc/PID/stat} farm needs (proc(5) numbers them from 1).
     *
     * @param pid field 1
     * @param state field 3: {@code R}, {@code S}, {@code Z} and so on
     * @param ppid field 4, the parent's pid
     * @param pgrp field 5, the process group
     * @param session field 6, the session
     * @param utime field 14, user-mode CPU time in clock ticks
     * @param stime field 15, kernel-mode CPU time in clock ticks
     * @param starttime field 22, when the process started, in clock ticks after boot
     */
    record Stat(long pid, char state, long ppid, long pgrp, long session, long utime, long stime, long starttime) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    /** Reads {@code /proc/PID/stat}; empty when the process is gone. */
    static Optional<Stat> stat(long pid) {
        try {
            return parseStat(
                    pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses the text of {@code /proc/PID/stat}; empty when it is not one. */
    static Optional<Stat> parseStat(long pid, String text) {
        // The command name is in parentheses and may itself contain spaces and parentheses.
        int end = text.lastIndexOf(')');
        if (end < 0 || end + 2 > text.length()) {
            return Optional.empty();
        }
        // fields[0] is field 3 (state); field N is fields[N - 3].
        String[] fields = text.substring(end + 2).trim().split(" ", -1);
        if (fields.length < 20 || fields[0].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(
                    pid,
                    fields[0].charAt(0),
                    Long.parseLong(fields[1]),
                    Long.parseLong(fields[2]),
                    Long.parseLong(fields[3]),
                    Long.parseLong(fields[11]),
                    Long.parseLong(fields[12]),
                    Long.parseLong(fields[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Finds a program the way a shell would, in the usual system folders first. */
    static Optional<Path> executable(String name) {
        List<String> folders = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        String path = System.getenv("PATH");
        if (path != null) {
            Pattern.compile(Pattern.quote(File.pathSeparator))
                    .splitAsStream(path)
                    .forEach(folders::add);
        }
        return folders.stream()
                .filter(folder -> !folder.isEmpty())
                .map(folder -> Path.of(folder, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
