package dev.farm.watch.internal;

import static dev.farm.watch.Recorder.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each rule delivers on its own thread, one call at a time, with what came meanwhile merged into one batch. */
@Timeout(60)
class DeliveryIT {

    @TempDir
    Path project;

    private ChangeWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void aSlowRuleDelaysNoOtherAndGetsOneMergedBatchAfterwards() {
        CountDownLatch slowMayReturn = new CountDownLatch(1);
        List<ChangeBatch> slow = new CopyOnWriteArrayList<>();
        List<ChangeBatch> fast = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        watcher = ChangeWatcher.builder(project)
                .rule(new WatchRule("slow", project, List.of("slow/**"), List.of()))
                .rule(new WatchRule("fast", project, List.of("fast/**"), List.of()))
                // Short windows: each write is its own batch, while a zero window could split one write in two.
                .debounce(Duration.ofMillis(20), Duration.ofMillis(20))
                .build();
        watcher.start(batch -> {
            threads.add(batch.rule() + " " + Thread.currentThread().getName());
            if (batch.rule().equals("fast")) {
                fast.add(batch);
                return;
            }
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            slow.add(batch);
            try {
                slowMayReturn.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });

        Path first = write(project.resolve("slow/first.txt"), "1");
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.size() == 1);
        Path f = write(project.resolve("fast/f.txt"), "f");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fast.stream().anyMatch(x -> x.paths().contains(f))); // while slow is still busy
        Path a = write(project.resolve("slow/a.txt"), "a");
        Path b = write(project.resolve("slow/b.txt"), "b");
        Path c = write(project.resolve("slow/c.txt"), "c");
        Path f2 = write(project.resolve("fast/f2.txt"), "f2");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fast.stream().anyMatch(x -> x.paths().contains(f2)));
        slowMayReturn.countDown();

        await().atMost(Duration.ofSeconds(20)).until(() -> slow.size() == 2);
        assertThat(slow.get(0).paths()).containsExactly(first);
        assertThat(slow.get(1).created()).containsExactlyInAnyOrder(a, b, c); // three windows, one batch
        assertThat(fast.stream().flatMap(x -> x.paths().stream()).distinct()).containsExactly(f, f2);
        assertThat(mostInFlight).hasValue(1);
        assertThat(threads).allMatch(t -> t.matches("(slow|fast) farm-watch-rule-\\d+"));
    }
}
