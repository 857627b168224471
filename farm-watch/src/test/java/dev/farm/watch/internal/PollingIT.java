package dev.farm.watch.internal;

import static dev.farm.watch.Recorder.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.Recorder;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Polling delivers what events deliver, and takes over when the operating system's events are not available. */
@Timeout(60)
class PollingIT {

    private static final Duration INTERVAL = Duration.ofMillis(100);

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

    private WatchRule rule() {
        return new WatchRule("api", project, List.of("**/*.py"), List.of());
    }

    @Test
    void pollingDeliversTheSameBatches() throws IOException {
        Path user = write(project.resolve("models/user.py"), "class User: pass\n");
        Path old = write(project.resolve("models/old.py"), "old\n");
        watcher = ChangeWatcher.builder(project).rule(rule()).polling(INTERVAL).build();
        watcher.start(recorder);
        assertThat(watcher.polling()).isTrue();

        Path temp = write(project.resolve("models/user.py.tmp"), "class User:\n    name: str\n");
        Files.move(temp, user, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(recorder.awaitPath("api", user).modified()).containsExactly(user);

        Path created = write(project.resolve("a/b/c/new.py"), "new\n");
        assertThat(recorder.awaitPath("api", created).created()).containsExactly(created);
        Files.delete(old);
        assertThat(recorder.awaitPath("api", old).deleted()).containsExactly(old);

        recorder.clear();
        Files.writeString(user, "class User:\n    name: str\n", UTF_8); // identical
        Files.setLastModifiedTime(created, FileTime.from(Instant.now().plusSeconds(3))); // touch
        write(project.resolve("node_modules/x/y.py"), "ignored\n");
        recorder.assertNothingElse("api", project.resolve("sentinel.py"));
    }

    @Test
    void pollingIsUsedWhenNoWatchServiceCanBeCreated() {
        watcher = Settings.watcher(project, rule(), false, INTERVAL, visitor -> {
            throw new IOException("User limit of inotify instances reached or too many open files");
        });
        watcher.start(recorder);
        assertThat(watcher.polling()).isTrue();
        Path a = write(project.resolve("a.py"), "a\n");
        assertThat(recorder.awaitPath("api", a).created()).containsExactly(a);
    }

    @Test
    void reachingTheWatchLimitLaterSwitchesToPolling() {
        DefaultChangeWatcher methvin = Settings.watcher(project, rule(), false, INTERVAL, WatchServiceFactory.DEFAULT);
        watcher = methvin;
        methvin.start(recorder);
        assertThat(methvin.polling()).isFalse();
        // what directory-watcher hands its listener when registering a new folder hits the limit
        Objects.requireNonNull(methvin.methvinListener())
                .onException(new IOException("User limit of inotify watches reached"));
        await().atMost(Recorder.PATIENCE).until(methvin::polling);
        // events may have been lost: every rule is told to treat its inputs as changed
        await().atMost(Recorder.PATIENCE).until(() -> !recorder.batches().isEmpty());
        assertThat(recorder.batches()).singleElement().satisfies(rescan -> {
            assertThat(rescan.rescan()).isTrue();
            assertThat(rescan.paths()).isEmpty();
        });
        Path a = write(project.resolve("deep/new/a.py"), "a\n");
        ChangeBatch batch = recorder.awaitPath("api", a);
        assertThat(batch.created()).containsExactly(a);
    }
}
