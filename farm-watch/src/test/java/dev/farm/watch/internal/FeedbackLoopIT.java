package dev.farm.watch.internal;

import static dev.farm.watch.Recorder.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.Recorder;
import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An action that writes its own input is paused, and resumes on a change outside the loop. */
@Timeout(60)
class FeedbackLoopIT {

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
    void aRuleThatKeepsTriggeringItselfIsPausedOnceAndResumes() {
        Path out = project.resolve("gen/out.txt");
        AtomicBoolean looping = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        recorder.onEachBatch(batch -> {
            if (looping.get()) {
                write(out, "run " + runs.incrementAndGet()); // a generator writing into its own inputs
            }
        });
        watcher = ChangeWatcher.builder(project)
                .rule(new WatchRule("gen", project, List.of("gen/**"), List.of()))
                .feedbackLoop(3, Duration.ofSeconds(30))
                .build();
        watcher.start(recorder);

        write(project.resolve("gen/in.txt"), "start");
        await().atMost(Recorder.PATIENCE).until(() -> !recorder.pauses().isEmpty());
        assertThat(recorder.pauses()).containsExactly(Map.entry("gen", Set.of(out)));
        assertThat(recorder.batches())
                .as("the user's in.txt, then out.txt three times: the fourth would be one too many")
                .hasSize(4);

        looping.set(false);
        write(out, "by hand, still inside the loop"); // dropped: the loop's path, within the window
        Path other = write(project.resolve("gen/other.txt"), "outside the loop");
        recorder.awaitPath("gen", other);
        assertThat(recorder.pauses()).hasSize(1);
    }
}
