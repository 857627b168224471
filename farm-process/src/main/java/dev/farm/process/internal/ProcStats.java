package dev.farm.process.internal;

import dev.farm.process.ServiceStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the CPU and memory of one service's process tree on demand; one instance per service, because the CPU
 * percentage is the CPU used since the same instance's previous sample.
 *
 * <p>On Linux one pass over {@code /proc} reads every process's {@code stat} (parent, group, session, CPU ticks), picks
 * the root, every member of its process group or session (when it leads one) and every descendant of those, and reads
 * {@code statm} for those alone. Elsewhere it walks {@link ProcessHandle#descendants()} and asks each handle for its
 * {@link ProcessHandle.Info#totalCpuDuration()}; the resident memory stays unknown. Zombies never count.
 *
 * <p>The CPU percentage adds up, per pid, the CPU time used since the previous sample (all of it for a pid that is
 * new, or whose CPU time went down because the pid was reused), so a process that ends between two samples does not
 * hide what the others used. Thread-safe.
 */
final class ProcStats {

    private static final Logger LOG = LoggerFactory.getLogger(ProcStats.class);

    /**
     * One live process of a tree as a {@link Source} read it.
     *
     * @param pid the process id
     * @param cpuTime its user plus system CPU time so far
     * @param rssBytes its resident memory, empty when unknown
     */
    record Reading(long pid, Duration cpuTime, OptionalLong rssBytes) {
        Reading {
            Objects.requireNonNull(cpuTime, "cpuTime");
            Objects.requireNonNull(rssBytes, "rssBytes");
        }
    }

    /** Where readings come from: {@code /proc}, {@link ProcessHandle}, or a test's fake. */
    interface Source {
        /**
         * Reads, in one pass, every live process of a tree: the root, the members of its group or session when it
         * leads one, and every descendant of those.
         *
         * @param rootPid the service's process
         * @param groupLeader whether that process was started as the leader of its own session and process group
         * @return the live processes, each once; empty when none is left
         */
        List<Reading> read(long rootPid, boolean groupLeader);
    }

    private final Source source;
    private Map<Long, Duration> previousCpu = Map.of();
    private @Nullable Instant previousAt;

    /** A sampler reading this platform's processes. */
    ProcStats() {
        this(platform());
    }

    /** A sampler reading from the given source. */
    ProcStats(Source source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The source for this platform: {@code /proc} where there is one, {@link ProcessHandle} elsewhere. */
    static Source platform() {
        return ProcessTree.PROCFS ? SystemProcFs.INSTANCE : new Handles();
    }

    /**
     * Samples a service's tree.
     *
     * @param rootPid the service's process (its process group id when it leads one)
     * @param groupLeader whether the process leads its own session and process group, so members that left the tree
     *     by losing their parent still count
     * @param clock the clock that stamps the sample and measures the time since the previous one
     * @return the sample, never {@code null}
     */
    synchronized ServiceStats sample(long rootPid, boolean groupLeader, Clock clock) {
        List<Reading> readings = source.read(rootPid, groupLeader);
        Instant now = clock.instant();

        Duration total = Duration.ZERO;
        long usedSincePrevious = 0;
        long rss = 0;
        boolean rssKnown = false;
        Map<Long, Duration> cpu = new HashMap<>();
        for (Reading reading : readings) {
            total = total.plus(reading.cpuTime());
            Duration before = previousCpu.get(reading.pid());
            Duration used = before == null || reading.cpuTime().compareTo(before) < 0
                    ? reading.cpuTime()
                    : reading.cpuTime().minus(before);
            usedSincePrevious += used.toNanos();
            if (reading.rssBytes().isPresent()) {
                rss += reading.rssBytes().getAsLong();
                rssKnown = true;
            }
            cpu.put(reading.pid(), reading.cpuTime());
        }

        double percent = 0;
        Instant before = previousAt;
        if (before != null) {
            long elapsed = Duration.between(before, now).toNanos();
            if (elapsed > 0) {
                percent = usedSincePrevious * 100.0 / elapsed;
            }
        }
        previousCpu = cpu;
        previousAt = now;
        return new ServiceStats(
                readings.size(), total, percent, rssKnown ? OptionalLong.of(rss) : OptionalLong.empty(), now);
    }

    /**
     * Parses {@code /proc/PID/statm}: its second field is the resident set in pages.
     *
     * @return the resident bytes; empty when the text is not a statm line
     */
    static OptionalLong parseStatm(String text, long pageSize) {
        String[] fields = text.trim().split(" ", 3);
        if (fields.length < 2) {
            return OptionalLong.empty();
        }
        try {
            long pages = Long.parseLong(fields[1]);
            return pages < 0 ? OptionalLong.empty() : OptionalLong.of(pages * pageSize);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Picks a tree out of every process: the root, the members of its group or session when {@code group}, and
     * every descendant of those; zombies excluded.
     *
     * @param all every process, by pid
     * @return the tree's processes, the root first when it is alive
     */
    static List<ProcessTree.Stat> select(Map<Long, ProcessTree.Stat> all, long rootPid, boolean group) {
        return ProcessTree.tree(all, List.of(rootPid), rootPid, group);
    }

    /** Converts clock ticks to a duration without overflowing. */
    static Duration ticks(long ticks, long ticksPerSecond) {
        return Duration.ofSeconds(ticks / ticksPerSecond, (ticks % ticksPerSecond) * 1_000_000_000L / ticksPerSecond);
    }

    /**
     * Asks {@code getconf} for a system value such as {@code CLK_TCK} or {@code PAGESIZE}.
     *
     * @return the value, or {@code fallback} when getconf is missing, fails or prints no positive number
     */
    static long getconf(String name, long fallback) {
        Optional<Path> getconf = ProcessTree.executable("getconf");
        if (getconf.isEmpty()) {
            LOG.debug("no getconf: assuming {} is {}", name, fallback);
            return fallback;
        }
        try {
            Process process = new ProcessBuilder(getconf.get().toString(), name)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // The answer is a few bytes, far below a pipe's buffer: waiting first cannot block getconf.
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.debug("getconf {} did not answer within 5s: assuming {}", name, fallback);
                return fallback;
            }
            String answer;
            try (InputStream out = process.getInputStream()) {
                answer = new String(out.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            long value = Long.parseLong(answer);
            if (process.exitValue() == 0 && value > 0) {
                return value;
            }
            LOG.debug("getconf {} answered {} (exit {}): assuming {}", name, answer, process.exitValue(), fallback);
        } catch (IOException | NumberFormatException e) {
            LOG.debug("getconf {} failed: {}; assuming {}", name, e.toString(), fallback);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fallback;
    }

    /** Reads processes from a procfs folder: {@code /proc}, or a fake one in tests. */
    static final class ProcFs implements Source {

        private final Path root;
        private final long ticksPerSecond;
        private final long pageSize;

        ProcFs(Path root, long ticksPerSecond, long pageSize) {
            if (ticksPerSecond <= 0 || pageSize <= 0) {
                throw new IllegalArgumentException(
                        "ticksPerSecond/pageSize: " + ticksPerSecond + "/" + pageSize + " (expected: > 0)");
            }
            this.root = root;
            this.ticksPerSecond = ticksPerSecond;
            this.pageSize = pageSize;
        }

        @Override
        public List<Reading> read(long rootPid, boolean groupLeader) {
            Map<Long, ProcessTree.Stat> all = new HashMap<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ProcFs::isPidEntry)) {
                for (Path entry : entries) {
                    long pid = Long.parseLong(entry.getFileName().toString());
                    read(entry.resolve("stat"))
                            .flatMap(text -> ProcessTree.parseStat(pid, text))
                            .ifPresent(stat -> all.put(pid, stat));
                }
            } catch (IOException e) {
                LOG.debug("cannot list {}: {}", root, e.toString());
                return List.of();
            }
            List<Reading> readings = new ArrayList<>();
            for (ProcessTree.Stat stat : select(all, rootPid, groupLeader)) {
                // No statm means the process ended since its stat was read: it no longer counts.
                read(root.resolve(Long.toString(stat.pid())).resolve("statm"))
                        .ifPresent(statm -> readings.add(new Reading(
                                stat.pid(),
                                ticks(stat.utime() + stat.stime(), ticksPerSecond),
                                parseStatm(statm, pageSize))));
            }
            return readings;
        }

        private static Optional<String> read(Path file) {
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // the process ended, or its file is unreadable
            }
        }

        private static boolean isPidEntry(Path entry) {
            String name = entry.getFileName().toString();
            return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
        }
    }

    /** This machine's {@code /proc}, with its clock tick rate and page size asked once, on first use. */
    private static final class SystemProcFs {
        static final ProcFs INSTANCE = new ProcFs(Path.of("/proc"), getconf("CLK_TCK", 100), getconf("PAGESIZE", 4096));
    }

    /** Walks {@link ProcessHandle} descendants where there is no {@code /proc}: no group members, no memory. */
    static final class Handles implements Source {
        @Override
        public List<Reading> read(long rootPid, boolean groupLeader) {
            Optional<ProcessHandle> root = ProcessHandle.of(rootPid).filter(ProcessHandle::isAlive);
            if (root.isEmpty()) {
                return List.of();
            }
            return Stream.concat(Stream.of(root.get()), root.get().descendants())
                    .filter(ProcessHandle::isAlive)
                    .map(process -> new Reading(
                            process.pid(),
                            process.info().totalCpuDuration().orElse(Duration.ZERO),
                            OptionalLong.empty()))
                    .collect(Collectors.toList());
        }
    }
}
