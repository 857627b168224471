package dev.farm.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.process.LogLine;
import dev.farm.process.spi.LogSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsyncLogSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern NOTICE = Pattern.compile("\\[farm] (\\d+) lines? dropped: recorder could not keep up");

    private static LogLine line(String service, String text) {
        return new LogLine(service, LogLine.Stream.STDOUT, text, Instant.EPOCH);
    }

    /** Records what it receives; holds the delivery thread in its first line until released. */
    private static final class Recorder implements LogSink, BatchAware, AutoCloseable {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;
        final List<LogLine> lines = Collections.synchronizedList(new ArrayList<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger closes = new AtomicInteger();

        Recorder(boolean blocked) {
            release = new CountDownLatch(blocked ? 1 : 0);
        }

        @Override
        public void accept(LogLine line) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (line.text().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            lines.add(line);
            events.add("line");
        }

        @Override
        public void endOfBatch() {
            events.add("end");
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        List<String> texts() {
            synchronized (lines) {
                return lines.stream().map(LogLine::text).toList();
            }
        }

        @Override
        public String toString() {
            return "recorder";
        }
    }

    @Test
    void acceptNeverWaitsForABlockedDelegateAndEveryLineArrivesInOrder() throws InterruptedException {
        Recorder delegate = new Recorder(true);
        List<String> sent =
                IntStream.range(0, 200_000).mapToObj(i -> "line " + i).toList();
        try (AsyncLogSink sink = new AsyncLogSink(delegate, AsyncLogSink.DEFAULT_BYTE_BUDGET, false)) {
            for (String text : sent) {
                sink.accept(line("api", text));
            }
            // Every accept returned while the delivery thread is still held in the first line.
            assertThat(delegate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(delegate.release.getCount()).isEqualTo(1);
            assertThat(delegate.lines).isEmpty();
            assertThat(sink.flush(Duration.ofMillis(50))).isFalse();

            delegate.release.countDown();
            assertThat(sink.flush(WAIT)).isTrue();
            assertThat(delegate.texts()).isEqualTo(sent);
            assertThat(sink.dropped()).isZero();
        }
    }

    @Test
    void keepsTheOrderOfEachProducerWhenSeveralAcceptAtOnce() throws InterruptedException {
        Recorder delegate = new Recorder(false);
        int producers = 4;
        int each = 10_000;
        try (AsyncLogSink sink = new AsyncLogSink(delegate, AsyncLogSink.DEFAULT_BYTE_BUDGET, false)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String service = "s" + p;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        sink.accept(line(service, Integer.toString(i)));
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(WAIT.toMillis());
                assertThat(thread.isAlive()).isFalse();
            }
            assertThat(sink.flush(WAIT)).isTrue();
            List<String> expected =
                    IntStream.range(0, each).mapToObj(Integer::toString).toList();
            for (int p = 0; p < producers; p++) {
                String service = "s" + p;
                List<String> texts;
                synchronized (delegate.lines) {
                    texts = delegate.lines.stream()
                            .filter(l -> l.service().equals(service))
                            .map(LogLine::text)
                            .toList();
                }
                assertThat(texts).as(service).isEqualTo(expected);
            }
        }
    }

    @Test
    void overBudgetDropsLinesAndTellsEachServiceHowManyOnceCaughtUp() throws InterruptedException {
        Recorder delegate = new Recorder(true);
        List<String> sentA = new ArrayList<>();
        List<String> sentB = new ArrayList<>();
        try (AsyncLogSink sink = new AsyncLogSink(delegate, 2_000, false)) {
            for (int i = 0; i < 1000; i++) {
                String service = i % 2 == 0 ? "a" : "b";
                String text = service + i;
                (i % 2 == 0 ? sentA : sentB).add(text);
                sink.accept(line(service, text));
            }
            assertThat(delegate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            delegate.release.countDown();
            assertThat(sink.flush(WAIT)).isTrue();

            List<LogLine> received = List.copyOf(delegate.lines);
            List<LogLine> notices =
                    received.stream().filter(l -> l.text().startsWith("[farm]")).toList();
            assertThat(notices).extracting(LogLine::service).containsExactlyInAnyOrder("a", "b");
            assertThat(notices).allMatch(l -> l.stream() == LogLine.Stream.STDERR);
            // The notices come after the lines that made it, and before anything accepted later.
            assertThat(received.subList(received.size() - 2, received.size())).isEqualTo(notices);

            long droppedTotal = 0;
            for (LogLine notice : notices) {
                Matcher matcher = NOTICE.matcher(notice.text());
                assertThat(matcher.matches()).as(notice.text()).isTrue();
                long dropped = Long.parseLong(matcher.group(1));
                List<String> sent = notice.service().equals("a") ? sentA : sentB;
                List<String> kept = received.stream()
                        .filter(l -> l.service().equals(notice.service())
                                && !l.text().startsWith("[farm]"))
                        .map(LogLine::text)
                        .toList();
                assertThat(kept).isNotEmpty().isEqualTo(sent.subList(0, kept.size()));
                assertThat(dropped).isEqualTo(sent.size() - kept.size());
                droppedTotal += dropped;
            }
            assertThat(sink.dropped()).isEqualTo(droppedTotal).isPositive();

            sink.accept(line("a", "caught up"));
            assertThat(sink.flush(WAIT)).isTrue();
            assertThat(delegate.texts()).last().isEqualTo("caught up");
            assertThat(sink.dropped()).isEqualTo(droppedTotal);
        }
    }

    @Test
    void aLineLargerThanTheBudgetStillPassesAnEmptyQueue() {
        Recorder delegate = new Recorder(false);
        try (AsyncLogSink sink = new AsyncLogSink(delegate, 100, false)) {
            String big = "x".repeat(1024 * 1024);
            sink.accept(line("api", big));
            assertThat(sink.flush(WAIT)).isTrue();
            assertThat(delegate.texts()).containsExactly(big);
        }
    }

    @Test
    void aFailingDelegateStillGetsTheLinesAfterTheFailure() {
        Recorder delegate = new Recorder(false);
        try (AsyncLogSink sink = new AsyncLogSink(delegate, AsyncLogSink.DEFAULT_BYTE_BUDGET, false)) {
            for (String text : List.of("one", "boom", "two", "boom", "boom", "three")) {
                sink.accept(line("api", text));
            }
            assertThat(sink.flush(WAIT)).isTrue();
            assertThat(delegate.texts()).containsExactly("one", "two", "three");
        }
    }

    @Test
    void endsEachBatchOnceAfterItsLines() throws InterruptedException {
        Recorder delegate = new Recorder(true);
        try (AsyncLogSink sink = new AsyncLogSink(delegate, AsyncLogSink.DEFAULT_BYTE_BUDGET, false)) {
            for (int i = 0; i < 100; i++) {
                sink.accept(line("api", Integer.toString(i)));
            }
            assertThat(delegate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            delegate.release.countDown();
            assertThat(sink.flush(WAIT)).isTrue();
            List<String> events = List.copyOf(delegate.events);
            // The first line may be a batch of its own; the other 99 queued up behind it.
            long ends = events.stream().filter("end"::equals).count();
            assertThat(ends).isBetween(1L, 2L);
            assertThat(events).hasSize(100 + (int) ends).last().isEqualTo("end");
        }
    }

    @Test
    void closeDeliversWhatIsQueuedAndIsHarmlessWhenRepeated() throws InterruptedException {
        Recorder delegate = new Recorder(true);
        AsyncLogSink sink = new AsyncLogSink(delegate, AsyncLogSink.DEFAULT_BYTE_BUDGET, false);
        for (int i = 0; i < 1000; i++) {
            sink.accept(line("api", Integer.toString(i)));
        }
        assertThat(delegate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        delegate.release.countDown();

        sink.close();
        assertThat(delegate.lines).hasSize(1000);
        sink.close();
        sink.accept(line("api", "after close"));
        assertThat(delegate.lines).hasSize(1000);
        assertThat(sink.dropped()).isEqualTo(1);
        assertThat(sink.flush(WAIT)).isTrue();
        assertThat(delegate.closes).hasValue(0); // not ours to close
    }

    @Test
    void closeClosesAnOwnedDelegateOnce() {
        Recorder used = new Recorder(false);
        AsyncLogSink sink = new AsyncLogSink(used, AsyncLogSink.DEFAULT_BYTE_BUDGET, true);
        sink.accept(line("api", "x"));
        sink.close();
        sink.close();
        assertThat(used.closes).hasValue(1);

        Recorder unused = new Recorder(false);
        new AsyncLogSink(unused, AsyncLogSink.DEFAULT_BYTE_BUDGET, true).close();
        assertThat(unused.closes).hasValue(1);
    }

    @Test
    void closeCanBeCalledFromTheDeliveryThread() throws InterruptedException {
        List<LogLine> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch closed = new CountDownLatch(1);
        AsyncLogSink[] self = new AsyncLogSink[1];
        AsyncLogSink sink = new AsyncLogSink(
                line -> {
                    self[0].close();
                    seen.add(line);
                    closed.countDown();
                },
                AsyncLogSink.DEFAULT_BYTE_BUDGET,
                false);
        self[0] = sink;
        sink.accept(line("api", "first"));
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        sink.accept(line("api", "after close"));
        sink.close();
        assertThat(seen).hasSize(1);
    }

    @Test
    void closeGivesUpOnADelegateThatNeverReturns() throws InterruptedException {
        Recorder stuck = new Recorder(true);
        AsyncLogSink sink = new AsyncLogSink(stuck, AsyncLogSink.DEFAULT_BYTE_BUDGET, false, Duration.ofMillis(50));
        for (int i = 0; i < 10; i++) {
            sink.accept(line("api", Integer.toString(i)));
        }
        assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();
        sink.close();
        assertThat(sink.flush(Duration.ZERO)).isFalse();
        // The interrupted delegate returns from its first line; the other nine are dropped.
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(sink.dropped()).isEqualTo(9));
        assertThat(stuck.lines).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void flushOfAnUnusedSinkReturnsAtOnce() {
        try (AsyncLogSink sink = new AsyncLogSink(new Recorder(false), 1, false)) {
            assertThat(sink.flush(Duration.ZERO)).isTrue();
        }
    }

    @Test
    void runsOnANamedDaemonThread() {
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        try (AsyncLogSink sink = new AsyncLogSink(
                line -> threads.add(Thread.currentThread()), AsyncLogSink.DEFAULT_BYTE_BUDGET, false)) {
            sink.accept(line("api", "x"));
            assertThat(sink.flush(WAIT)).isTrue();
        }
        assertThat(threads).singleElement().satisfies(thread -> {
            assertThat(thread.isDaemon()).isTrue();
            assertThat(thread.getName()).matches("farm-process-sink-\\d+");
        });
    }
}
