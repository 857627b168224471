package dev.farm.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A listener that keeps every batch, for tests; it can also block like a slow action, or run one. */
public final class Recorder implements ChangeWatcher.Listener {

    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<ChangeBatch> batches = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<String, Set<Path>>> pauses = new CopyOnWriteArrayList<>();
    private final AtomicInteger sentinels = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int maxInFlight;
    private volatile CountDownLatch block = new CountDownLatch(0);
    private volatile Consumer<ChangeBatch> action = batch -> {};

    @Override
    public void changed(ChangeBatch batch) {
        int now = inFlight.incrementAndGet();
        maxInFlight = Math.max(maxInFlight, now);
        try {
            assertThat(batch.isEmpty()).isFalse();
            batches.add(batch);
            action.accept(batch);
            if (!block.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("blocked for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void paused(String rule, Set<Path> paths) {
        pauses.add(Map.entry(rule, paths));
    }

    /** Makes each call block until {@link #release()}, as a slow action does. */
    public void blockEachCall() {
        block = new CountDownLatch(1);
    }

    public void release() {
        block.countDown();
    }

    public void onEachBatch(Consumer<ChangeBatch> action) {
        this.action = action;
    }

    public List<ChangeBatch> batches() {
        return List.copyOf(batches);
    }

    public List<ChangeBatch> batches(String rule) {
        return batches.stream().filter(b -> b.rule().equals(rule)).toList();
    }

    public List<Map.Entry<String, Set<Path>>> pauses() {
        return List.copyOf(pauses);
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public void clear() {
        batches.clear();
    }

    /** Waits for a batch of the rule that holds the path. */
    public ChangeBatch awaitPath(String rule, Path path) {
        return await().atMost(PATIENCE)
                .until(
                        () -> batches(rule).stream()
                                .filter(b -> b.paths().contains(path))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    /**
     * Proves that nothing was delivered for what happened since {@link #clear()}: changes a sentinel file the rule
     * matches, waits for its batch, and checks that every batch since holds the sentinel only. Events are queued in
     * order, so whatever came before the sentinel's write has been decided by then.
     */
    public void assertNothingElse(String rule, Path sentinel) {
        write(sentinel, "sentinel " + sentinels.incrementAndGet());
        awaitPath(rule, sentinel);
        assertThat(batches()).allSatisfy(b -> assertThat(b.paths()).containsExactly(sentinel));
    }

    public static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
