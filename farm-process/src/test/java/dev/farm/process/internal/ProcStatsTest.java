package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.farm.process.ServiceStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatsTest {

    @TempDir
    Path proc;

    // ------------------------------------------------------------------------------------------- parsing /proc

    @Test
    void parsesStatEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String text = stat(4242, "my (odd) server) x", 'S', 1, 4242, 4242, 150, 50, 987654);

        ProcessTree.Stat stat = ProcessTree.parseStat(4242, text).orElseThrow();

        assertThat(stat).isEqualTo(new ProcessTree.Stat(4242, 'S', 1, 4242, 4242, 150, 50, 987654));
        assertThat(stat.zombie()).isFalse();
    }

    @Test
    void aTruncatedOrForeignStatIsNoStat() {
        assertThat(ProcessTree.parseStat(1, "")).isEmpty();
        assertThat(ProcessTree.parseStat(1, "1 (init) S 0 1 1")).isEmpty();
        assertThat(ProcessTree.parseStat(1, "1 (init) S x 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 9 10 11"))
                .isEmpty();
    }

    @Test
    void parsesStatmResidentPagesTimesPageSize() {
        assertThat(ProcStats.parseStatm("123456 678 90 1 0 2 0\n", 4096)).hasValue(678L * 4096);
        assertThat(ProcStats.parseStatm("123456 678 90 1 0 2 0", 16384)).hasValue(678L * 16384);
        assertThat(ProcStats.parseStatm("", 4096)).isEmpty();
        assertThat(ProcStats.parseStatm("12 many", 4096)).isEmpty();
    }

    @Test
    void convertsClockTicksExactly() {
        assertThat(ProcStats.ticks(250, 100)).isEqualTo(Duration.ofMillis(2500));
        assertThat(ProcStats.ticks(1, 1000)).isEqualTo(Duration.ofMillis(1));
        assertThat(ProcStats.ticks(Long.MAX_VALUE / 2, 100)).isPositive();
    }

    @Test
    void readsTheRootItsGroupAndSessionAndEveryDescendantFromProc() throws IOException {
        process(100, 'S', 1, 100, 100, 150, 50, 10); // the root: 2 s of CPU, 10 pages
        process(101, 'S', 100, 100, 100, 100, 0, 20); // its child
        process(102, 'R', 101, 100, 100, 0, 100, 30); // a grandchild
        process(103, 'S', 1, 100, 100, 10, 0, 40); // a group member whose parent died
        process(104, 'S', 1, 104, 100, 10, 0, 50); // a new group in the root's session
        process(105, 'S', 103, 105, 105, 10, 0, 60); // left group and session, but descends from 103
        process(106, 'Z', 100, 100, 100, 10, 0, 0); // a zombie child
        process(200, 'S', 1, 200, 200, 999, 999, 999); // someone else's process
        Files.createDirectories(proc.resolve("107")); // a child that ended between the listing and the read
        Files.writeString(
                Files.createDirectories(proc.resolve("108")).resolve("stat"),
                stat(108, "gone", 'S', 100, 100, 100, 1, 1, 1));
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("sys"));

        ProcStats.ProcFs source = new ProcStats.ProcFs(proc, 100, 4096);

        Map<Long, ProcStats.Reading> tree =
                source.read(100, true).stream().collect(Collectors.toMap(ProcStats.Reading::pid, reading -> reading));
        assertThat(tree).containsOnlyKeys(100L, 101L, 102L, 103L, 104L, 105L);
        assertThat(tree.get(100L).cpuTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(tree.get(102L).cpuTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(tree.get(100L).rssBytes()).hasValue(10 * 4096L);

        List<Long> descendantsOnly =
                source.read(100, false).stream().map(ProcStats.Reading::pid).collect(Collectors.toList());
        assertThat(descendantsOnly).containsExactlyInAnyOrder(100L, 101L, 102L);

        assertThat(source.read(999, true)).isEmpty();
    }

    @Test
    void aGroupWhoseLeaderDiedStillCounts() throws IOException {
        process(301, 'S', 1, 300, 300, 100, 0, 10);
        process(302, 'S', 301, 300, 300, 100, 0, 10);

        List<ProcStats.Reading> readings = new ProcStats.ProcFs(proc, 100, 4096).read(300, true);

        assertThat(readings).extracting(ProcStats.Reading::pid).containsExactlyInAnyOrder(301L, 302L);
    }

    @Test
    void sumsTheTreeOnTheRealProcFsSource() throws IOException {
        process(100, 'S', 1, 100, 100, 150, 50, 10);
        process(101, 'S', 100, 100, 100, 100, 0, 20);
        MutableClock clock = new MutableClock(T0);

        ServiceStats stats = new ProcStats(new ProcStats.ProcFs(proc, 100, 4096)).sample(100, true, clock);

        assertThat(stats).isEqualTo(new ServiceStats(2, Duration.ofSeconds(3), 0, OptionalLong.of(30 * 4096L), T0));
    }

    // ---------------------------------------------------------------------------------------------- the math

    @Test
    void theFirstSampleHasNoPercentTheNextOnesMeasureTheIntervalInPercentOfOneCore() {
        FakeSource source = new FakeSource();
        MutableClock clock = new MutableClock(T0);
        ProcStats stats = new ProcStats(source);

        source.next(reading(1, 1000, 10), reading(2, 500, 20));
        ServiceStats first = stats.sample(1, true, clock);
        assertThat(first.processes()).isEqualTo(2);
        assertThat(first.cpuTime()).isEqualTo(Duration.ofMillis(1500));
        assertThat(first.cpuPercent()).isZero();
        assertThat(first.rssBytes()).hasValue(30);
        assertThat(first.sampledAt()).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(2));
        source.next(reading(1, 2000, 10), reading(2, 1500, 20)); // 2 s of CPU in 2 s: one core
        ServiceStats second = stats.sample(1, true, clock);
        assertThat(second.cpuTime()).isEqualTo(Duration.ofMillis(3500));
        assertThat(second.cpuPercent()).isCloseTo(100.0, within(1e-9));
        assertThat(second.sampledAt()).isEqualTo(T0.plusSeconds(2));

        clock.advance(Duration.ofSeconds(1));
        source.next(reading(1, 2000, 10), reading(2, 3500, 20)); // 2 s of CPU in 1 s: two cores
        assertThat(stats.sample(1, true, clock).cpuPercent()).isCloseTo(200.0, within(1e-9));
    }

    @Test
    void aProcessThatEndsDoesNotHideWhatTheOthersUsed() {
        FakeSource source = new FakeSource();
        MutableClock clock = new MutableClock(T0);
        ProcStats stats = new ProcStats(source);
        source.next(reading(1, 100, 1), reading(2, 60_000, 1));
        stats.sample(1, true, clock);

        clock.advance(Duration.ofSeconds(4));
        source.next(reading(1, 1100, 1)); // pid 2 and its minute of CPU are gone

        ServiceStats stats2 = stats.sample(1, true, clock);
        assertThat(stats2.processes()).isEqualTo(1);
        assertThat(stats2.cpuTime()).isEqualTo(Duration.ofMillis(1100));
        assertThat(stats2.cpuPercent()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void aNewProcessOrAReusedPidCountsAllItsCpu() {
        FakeSource source = new FakeSource();
        MutableClock clock = new MutableClock(T0);
        ProcStats stats = new ProcStats(source);
        source.next(reading(1, 5000, 1));
        stats.sample(1, true, clock);

        clock.advance(Duration.ofSeconds(10));
        source.next(reading(1, 300, 1), reading(7, 700, 1)); // 1 was restarted as a new process; 7 is new

        assertThat(stats.sample(1, true, clock).cpuPercent()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void noElapsedTimeMeansNoPercentAndAnEmptyTreeMeansZeroAndNoMemory() {
        FakeSource source = new FakeSource();
        MutableClock clock = new MutableClock(T0);
        ProcStats stats = new ProcStats(source);
        source.next(reading(1, 100, 1));
        stats.sample(1, true, clock);

        source.next(reading(1, 900, 1));
        assertThat(stats.sample(1, true, clock).cpuPercent()).isZero();

        clock.advance(Duration.ofSeconds(1));
        source.next();
        assertThat(stats.sample(1, true, clock))
                .isEqualTo(new ServiceStats(0, Duration.ZERO, 0, OptionalLong.empty(), T0.plusSeconds(1)));
    }

    @Test
    void memoryIsUnknownWhenTheSourceCannotTell() {
        FakeSource source = new FakeSource();
        source.next(new ProcStats.Reading(1, Duration.ofSeconds(1), OptionalLong.empty()));

        assertThat(new ProcStats(source).sample(1, false, new MutableClock(T0)).rssBytes())
                .isEmpty();
    }

    @Test
    void serviceStatsRejectsImpossibleValues() {
        assertThatThrownBy(() -> new ServiceStats(-1, Duration.ZERO, 0, OptionalLong.empty(), T0))
                .hasMessage("processes: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new ServiceStats(1, Duration.ofSeconds(-1), 0, OptionalLong.empty(), T0))
                .hasMessageStartingWith("cpuTime: ");
        assertThatThrownBy(() -> new ServiceStats(1, Duration.ZERO, Double.NaN, OptionalLong.empty(), T0))
                .hasMessage("cpuPercent: NaN (expected: a finite number >= 0)");
        assertThatThrownBy(() -> new ServiceStats(1, Duration.ZERO, 0, OptionalLong.of(-1), T0))
                .hasMessage("rssBytes: -1 (expected: >= 0)");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static ProcStats.Reading reading(long pid, long cpuMillis, long rss) {
        return new ProcStats.Reading(pid, Duration.ofMillis(cpuMillis), OptionalLong.of(rss));
    }

    /** Writes PID/stat and PID/statm into the fake /proc. */
    private void process(long pid, char state, long ppid, long pgrp, long session, long utime, long stime, long pages)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), stat(pid, "java", state, ppid, pgrp, session, utime, stime, 5000));
        Files.writeString(dir.resolve("statm"), "300000 " + pages + " 2000 1 0 40000 0\n");
    }

    /** A /proc/PID/stat line as Linux 6 writes it, with the given values in fields 2-6, 14, 15 and 22. */
    private static String stat(
            long pid,
            String comm,
            char state,
            long ppid,
            long pgrp,
            long session,
            long utime,
            long stime,
            long starttime) {
        return pid + " (" + comm + ") " + state + " " + ppid + " " + pgrp + " " + session
                + " 0 -1 4194560 12062 0 3 0 " + utime + " " + stime + " 0 0 20 0 19 0 " + starttime
                + " 3813253120 50361 18446744073709551615 1 1 0 0 0 0 0 2 16800975 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0"
                + " 0 0 0\n";
    }

    /** Hands out scripted readings, one list per sample. */
    private static final class FakeSource implements ProcStats.Source {
        private final Deque<List<ProcStats.Reading>> script = new ArrayDeque<>();

        void next(ProcStats.Reading... readings) {
            script.add(List.of(readings));
        }

        @Override
        public List<ProcStats.Reading> read(long rootPid, boolean groupLeader) {
            return script.removeFirst();
        }
    }
}
