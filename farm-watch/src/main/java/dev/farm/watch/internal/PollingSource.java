package dev.farm.watch.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events from scanning: every interval it walks what {@link Scope} enters, stats each file some rule matches, and
 * reports what appeared, disappeared or has another state than last time. A file modified within {@link
 * ContentGate#RACY_MILLIS} of the scan is reported again on the next scans, because a second write within the file
 * system's time granularity leaves its state as it was; the content gate drops those that did not change. A watched
 * folder that is gone scans as empty, and scans fill again once it is back.
 */
final class PollingSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(PollingSource.class);

    private final Scope scope;
    private final Duration interval;
    private final EventSink sink;
    private final ThreadFactory threads;
    private final LongSupplier wallMillis;
    private Map<Path, FileState> previous = Map.of();
    private @Nullable ScheduledExecutorService executor;
    private @Nullable ScheduledFuture<?> task;

    PollingSource(Scope scope, Duration interval, EventSink sink, ThreadFactory threads, LongSupplier wallMillis) {
        this.scope = scope;
        this.interval = interval;
        this.sink = sink;
        this.threads = threads;
        this.wallMillis = wallMillis;
    }

    @Override
    public void start() throws IOException {
        previous = scan();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        executor = scheduler;
        long nanos = interval.toNanos();
        task = scheduler.scheduleWithFixedDelay(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        try {
            long now = wallMillis.getAsLong();
            Map<Path, FileState> current = scan();
            for (Map.Entry<Path, FileState> entry : current.entrySet()) {
                FileState before = previous.get(entry.getKey());
                FileState state = entry.getValue();
                if (before == null) {
                    sink.accept(RawEvent.of(RawEvent.Kind.CREATED, entry.getKey(), false));
                } else if (!before.equals(state) || state.modifiedMillis() >= now - ContentGate.RACY_MILLIS) {
                    sink.accept(RawEvent.of(RawEvent.Kind.MODIFIED, entry.getKey(), false));
                }
            }
            for (Path gone : previous.keySet()) {
                if (!current.containsKey(gone)) {
                    sink.accept(RawEvent.of(RawEvent.Kind.DELETED, gone, false));
                }
            }
            previous = current;
        } catch (IOException | RuntimeException e) {
            LOG.warn("polling {} failed; trying again in {}", scope.roots(), Durations.describe(interval), e);
        }
    }

    /** Stats every file a rule matches, under every watched folder that exists. */
    Map<Path, FileState> scan() throws IOException {
        Map<Path, FileState> files = new HashMap<>();
        for (Path root : scope.roots()) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            scope.walk(root, null, new Scope.Visit() {
                @Override
                public void folder(Path dir) {}

                @Override
                public void file(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && scope.rules().stream().anyMatch(rule -> rule.matches(file))) {
                        files.put(file, FileState.of(attributes));
                    }
                }
            });
        }
        return files;
    }

    @Override
    public boolean polling() {
        return true;
    }

    @Override
    public boolean healthy() {
        ScheduledFuture<?> running = task;
        return running == null || !running.isDone();
    }

    @Override
    public void close() {
        ScheduledExecutorService scheduler = executor;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
