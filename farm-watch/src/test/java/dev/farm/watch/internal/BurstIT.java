package dev.farm.watch.internal;

import static dev.farm.watch.Recorder.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.Recorder;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Bursts as a checkout, a generator and a package manager make them, with the default debounce. */
@Timeout(60)
class BurstIT {

    @TempDir
    Path project;

    private final Recorder recorder = new Recorder();
    private DefaultChangeWatcher watcher;

    /**
     * The default quiet window, but a maximum wait longer than any burst here: it is the quiet window that must make
     * a burst one run. (The notes' pilot wrote 1000 files in 61-141 ms; on a busy shared box, while a previous test's
     * 10,000 files are being deleted, the same loop has taken over a second, which the default 1 s maximum wait would
     * rightly split. DebouncerTest and ChurnIT cover the maximum wait.)
     */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private DefaultChangeWatcher start(WatchRule... rules) {
        ChangeWatcher.Builder builder = ChangeWatcher.builder(project).debounce(ChangeWatcher.DEFAULT_QUIET, MAX_WAIT);
        for (WatchRule rule : rules) {
            builder.rule(rule);
        }
        watcher = (DefaultChangeWatcher) builder.build();
        watcher.start(recorder);
        return watcher;
    }

    private WatchRule rule(String name, String... globs) {
        return new WatchRule(name, project, List.of(globs), List.of());
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void aCheckoutOf1000FilesIn50NewFoldersIsOneRunWithEveryFile() {
        write(project.resolve("apps/api/src/main.py"), "main\n");
        start(rule("api", "apps/api/src/**/*.py"), rule("docs", "docs/**"));
        Set<Path> written = new HashSet<>();
        long begin = System.nanoTime();
        for (int dir = 0; dir < 50; dir++) {
            for (int file = 0; file < 20; file++) {
                written.add(
                        write(project.resolve("apps/api/src/pkg" + dir + "/mod" + file + ".py"), "x = " + file + "\n"));
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        await().atMost(Recorder.PATIENCE)
                .until(() -> recorder.batches("api").stream()
                                .mapToInt(b -> b.created().size())
                                .sum()
                        >= 1000);
        Path sentinel = write(project.resolve("apps/api/src/sentinel.py"), "s\n");
        recorder.awaitPath("api", sentinel);
        List<ChangeBatch> api = recorder.batches("api");
        System.out.printf("1000 files written in %d ms; %d batches%n", millis, api.size());
        assertThat(api.size()).as("written in %d ms", millis).isEqualTo(2);
        assertThat(api.get(0).created()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(api.get(1).paths()).containsExactly(sentinel);
        assertThat(recorder.batches("docs")).isEmpty();
    }

    @Test
    void fiveThousandFilesIntoOneFolderWithASlowActionLoseNothing() {
        start(rule("gen", "out/*.txt"));
        recorder.onEachBatch(batch -> {
            try {
                new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS); // an action that takes 500 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Set<Path> written = new HashSet<>();
        long begin = System.nanoTime();
        for (int i = 0; i < 5000; i++) {
            written.add(write(project.resolve("out/f" + i + ".txt"), "content " + i));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        await().atMost(Recorder.PATIENCE).untilAsserted(() -> {
            Set<Path> seen = new HashSet<>();
            recorder.batches("gen").forEach(b -> seen.addAll(b.created()));
            assertThat(seen).containsAll(written);
        });
        List<Integer> sizes =
                recorder.batches("gen").stream().map(b -> b.paths().size()).toList();
        System.out.printf("5000 files written in %d ms; %d rescans; batches of %s%n", millis, watcher.rescans(), sizes);
        assertThat(sizes).as("written in %d ms", millis).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void tenThousandFilesUnderNodeModulesRunNothingAndCostNoWatch() throws IOException {
        write(project.resolve("src/index.js"), "index\n");
        start(rule("web", "**/*.js"));
        int watches = Inotify.watches();
        for (int pkg = 0; pkg < 100; pkg++) {
            for (int file = 0; file < 100; file++) {
                write(project.resolve("node_modules/pkg" + pkg + "/lib/f" + file + ".js"), "module.exports = 1;\n");
            }
        }
        recorder.assertNothingElse("web", project.resolve("src/sentinel.js"));
        assertThat(watcher.watchedFolders())
                .isNotEmpty()
                .noneMatch(dir -> dir.startsWith(project.resolve("node_modules")));
        assertThat(Inotify.watches()).isEqualTo(watches);
    }

    @Test
    void aNewNodeModulesInsideASourceFolderIsSkippedToo() {
        start(rule("web", "**/*.js"));
        write(project.resolve("src/app/node_modules/pkg/index.js"), "x\n");
        recorder.assertNothingElse("web", project.resolve("src/app/sentinel.js"));
        assertThat(watcher.watchedFolders())
                .contains(project.resolve("src/app"))
                .noneMatch(dir -> dir.toString().contains("node_modules"));
    }
}
