package dev.farm.watch.internal;

import static dev.farm.watch.Recorder.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.Recorder;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lost events become a rescan. directory-watcher 0.19.1 reports an OVERFLOW only as a NullPointerException in {@code
 * onException}; the test loses the events itself, then hands the listener that exception.
 */
@Timeout(60)
class OverflowIT {

    @TempDir
    Path project;

    private final Recorder recorder = new Recorder();
    private DefaultChangeWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void anOverflowRescansAndFindsWhatTheLostEventsWouldHaveSaid() throws IOException {
        Path changed = write(project.resolve("src/changed.py"), "before\n");
        Path same = write(project.resolve("src/same.py"), "same\n");
        Path removed = write(project.resolve("src/removed.py"), "removed\n");
        watcher = Settings.watcher(
                project,
                new WatchRule("api", project, List.of("src/**/*.py"), List.of()),
                false,
                java.time.Duration.ofSeconds(1),
                WatchServiceFactory.DEFAULT);
        watcher.start(recorder);

        watcher.dropEvents(true);
        Set<Path> created = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            created.add(write(project.resolve("src/pkg" + (i % 5) + "/m" + i + ".py"), "m" + i + "\n"));
        }
        write(changed, "after\n");
        write(same, "same\n");
        Files.delete(removed);
        Objects.requireNonNull(watcher.methvinListener())
                .onException(new NullPointerException("ConcurrentSkipListMap.get(null)"));

        ChangeBatch batch = recorder.awaitPath("api", changed);
        watcher.dropEvents(false);
        assertThat(batch.rescan()).isTrue();
        assertThat(batch.created()).containsExactlyInAnyOrderElementsOf(created);
        assertThat(batch.modified()).containsExactly(changed);
        assertThat(batch.deleted()).containsExactly(removed);
        assertThat(recorder.batches()).hasSize(1);
        assertThat(watcher.rescans()).isEqualTo(1);
    }
}
