package dev.farm.watch;

import static dev.farm.watch.Recorder.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Continuous churn never goes quiet, yet batches keep coming, one per maximum wait (DebouncerTest has the math). */
@Timeout(60)
class ChurnIT {

    @TempDir
    Path project;

    private final Recorder recorder = new Recorder();
    private ChangeWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void aWriteEvery50msStillDeliversWhileItGoesOn() throws InterruptedException {
        watcher = ChangeWatcher.builder(project)
                .rule(new WatchRule("api", project, List.of("*.py"), List.of()))
                .debounce(ChangeWatcher.DEFAULT_QUIET, Duration.ofMillis(500))
                .build();
        watcher.start(recorder);
        AtomicInteger writes = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> churn = writer.scheduleAtFixedRate(
                    () -> {
                        int n = writes.incrementAndGet();
                        if (n > 50) { // 2.5 s
                            done.countDown();
                            return;
                        }
                        write(project.resolve("main.py"), "version " + n);
                    },
                    0,
                    50,
                    TimeUnit.MILLISECONDS);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            churn.cancel(false);
        } finally {
            writer.shutdownNow();
        }
        int duringChurn = recorder.batches().size();
        assertThat(duringChurn).as("batches while the churn went on").isGreaterThanOrEqualTo(2);
    }
}
