package dev.farm.watch.internal;

import static dev.farm.watch.Recorder.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.Recorder;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A batch waits while git holds its index lock, as during a checkout or a rebase. */
@Timeout(60)
class GitLockIT {

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

    private void start(Duration quiet, Duration maxWait) {
        watcher = ChangeWatcher.builder(project)
                .rule(new WatchRule("api", project, List.of("src/**/*.py"), List.of()))
                .debounce(quiet, maxWait)
                .build();
        watcher.start(recorder);
    }

    @Test
    void aBatchWaitsUntilTheLockIsGone() throws IOException {
        Files.createDirectories(project.resolve(".git"));
        start(ChangeWatcher.DEFAULT_QUIET, ChangeWatcher.DEFAULT_MAX_WAIT);
        Path lock = Files.createFile(project.resolve(".git/index.lock"));
        Path a = write(project.resolve("src/a.py"), "a\n");
        Path b = write(project.resolve("src/b.py"), "b\n");
        await().during(Duration.ofMillis(1500)) // past the quiet window and the maximum wait
                .atMost(Duration.ofSeconds(5))
                .until(() -> recorder.batches().isEmpty());
        Files.delete(lock);
        ChangeBatch batch = recorder.awaitPath("api", a);
        assertThat(batch.created()).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void theHoldEndsAfterFiveMaximumWaits() throws IOException {
        Files.createDirectories(project.resolve(".git"));
        start(Duration.ofMillis(50), Duration.ofMillis(200));
        Files.createFile(project.resolve(".git/index.lock")); // left behind by a crashed git
        long begin = System.nanoTime();
        Path a = write(project.resolve("src/a.py"), "a\n");
        recorder.awaitPath("api", a);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWorktreesLockIsWhereItsGitFilePoints(@TempDir Path main) throws IOException {
        Path gitDir = Files.createDirectories(main.resolve(".git/worktrees/wt"));
        Files.writeString(project.resolve(".git"), "gitdir: " + gitDir + "\n");
        assertThat(DefaultChangeWatcher.indexLock(project)).isEqualTo(gitDir.resolve("index.lock"));

        Path nested = Files.createDirectories(project.resolve("apps/api"));
        assertThat(DefaultChangeWatcher.indexLock(nested)).isEqualTo(gitDir.resolve("index.lock"));
    }
}
