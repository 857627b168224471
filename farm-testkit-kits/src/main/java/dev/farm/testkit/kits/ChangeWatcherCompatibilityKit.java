package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchException;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a {@link ChangeWatcher}, on the real file system: a matching file written under the root is one
 * batch naming the rule and the path; files no rule matches, files in ignored folders, identical rewrites and farm's own
 * writes ({@link ChangeWatcher#wrote(Path)}) are not reported; a burst of writes is one batch; folders made after
 * {@link ChangeWatcher#start} are watched; nothing is delivered after {@link ChangeWatcher#close()}.
 *
 * <p>Extend it with a test class that makes a watcher of your implementation:
 *
 * <pre>{@code
 * class MyChangeWatcherCompatibilityIT extends ChangeWatcherCompatibilityKit {
 *     @Override
 *     protected ChangeWatcher watcher(Path root, List<WatchRule> rules) {
 *         return new MyChangeWatcher(root, rules);
 *     }
 * }
 * }</pre>
 *
 * <p>The watcher must be configured as {@link ChangeWatcher#builder(Path)} leaves it: {@link
 * ChangeWatcher#DEFAULT_IGNORES} ignored, and a debounce whose quiet window is at least {@link
 * ChangeWatcher#DEFAULT_QUIET} (a burst of writes a few milliseconds apart must be one batch). Each test works in its
 * own {@code @TempDir} and closes every watcher it made. To show that something was <em>not</em> reported without
 * waiting an arbitrary time, a test then writes a sentinel file that the rule matches and waits for its batch: whatever
 * the watcher makes of the earlier writes is decided by then, and every batch must hold the sentinel only. Name the
 * subclass {@code *IT}: it watches real folders. A test that does not apply to an implementation can be turned off by
 * overriding its method without {@code @Test}.
 *
 * @since 0.1
 */
@Timeout(60)
public abstract class ChangeWatcherCompatibilityKit {

    private final List<ChangeWatcher> watchers = new ArrayList<>();
    private final AtomicInteger sentinels = new AtomicInteger();
    private Path root = Path.of("unset");

    /** For subclasses. */
    protected ChangeWatcherCompatibilityKit() {}

    /**
     * Makes a watcher of the implementation under test; the kit starts and closes it.
     *
     * @param root the project folder to watch, absolute and existing (except in the test of a missing folder)
     * @param rules the rules, at least one; their bases are under {@code root}
     * @return a watcher that is not started yet, never {@code null}
     */
    protected abstract ChangeWatcher watcher(Path root, List<WatchRule> rules);

    @BeforeEach
    void project(@TempDir Path dir) {
        root = dir.toAbsolutePath();
    }

    @AfterEach
    void closeWatchers() {
        watchers.forEach(ChangeWatcher::close);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /**
     * Returns how long a test waits for a batch before it fails: 20 s unless a subclass says otherwise, for example a
     * polling implementation that scans every few seconds.
     *
     * @return a positive duration
     */
    protected Duration patience() {
        return Duration.ofSeconds(20);
    }

    /** Keeps every batch it is given. */
    private final class Batches implements ChangeWatcher.Listener {
        final List<ChangeBatch> all = new CopyOnWriteArrayList<>();

        @Override
        public void changed(ChangeBatch batch) {
            all.add(batch);
        }

        List<ChangeBatch> of(String rule) {
            return all.stream().filter(b -> b.rule().equals(rule)).collect(Collectors.toList());
        }

        void clear() {
            all.clear();
        }

        ChangeBatch awaitPath(String rule, Path path) {
            await().atMost(patience())
                    .untilAsserted(() -> assertThat(all)
                            .as("batches, waiting for one of rule '%s' holding %s", rule, path)
                            .anySatisfy(b -> {
                                assertThat(b.rule()).isEqualTo(rule);
                                assertThat(b.paths()).contains(path);
                            }));
            return of(rule).stream()
                    .filter(b -> b.paths().contains(path))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private WatchRule rule(String name, String... globs) {
        return new WatchRule(name, root, List.of(globs), List.of());
    }

    private ChangeWatcher start(Batches batches, WatchRule... rules) {
        ChangeWatcher watcher = watcher(root, List.of(rules));
        watchers.add(watcher);
        watcher.start(batches);
        return watcher;
    }

    private Path file(String relative) {
        return root.resolve(relative);
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Proves that nothing was delivered since {@link Batches#clear()} but a sentinel's batch: writes a file the rule
     * matches, waits for it, and checks that every batch holds that file only.
     */
    private void assertNothingElse(Batches batches, String rule, String sentinelFolder) {
        Path sentinel = write(
                file(sentinelFolder + "/sentinel" + sentinels.incrementAndGet() + ".py"),
                "sentinel " + sentinels.get() + "\n");
        batches.awaitPath(rule, sentinel);
        assertThat(batches.all)
                .as("batches since the writes that must not be reported, up to the sentinel %s", sentinel)
                .allSatisfy(b -> assertThat(b.paths()).containsExactly(sentinel));
    }

    // --------------------------------------------------------------------------------------------------- tests

    /** Checks that a new file and a changed file that a rule matches are each reported under that rule's name. */
    @Test
    public void aMatchingFileWrittenUnderTheRootIsOneBatchNamingTheRuleAndThePath() {
        Path existing = write(file("api/main.py"), "print('v1')\n");
        Batches batches = new Batches();
        start(batches, rule("api", "api/**/*.py"), rule("web", "web/**/*.ts"));

        write(existing, "print('v2')\n");
        ChangeBatch changed = batches.awaitPath("api", existing);
        assertThat(changed.rule()).isEqualTo("api");
        assertThat(changed.modified()).containsExactly(existing);
        assertThat(changed.created()).isEmpty();
        assertThat(changed.deleted()).isEmpty();
        assertThat(changed.rescan()).isFalse();

        Path added = write(file("api/routes/users.py"), "users = []\n");
        ChangeBatch created = batches.awaitPath("api", added);
        assertThat(created.created()).containsExactly(added);
        assertThat(created.paths()).allMatch(Path::isAbsolute);

        assertThat(batches.of("api")).as("one batch per write").hasSize(2);
        assertThat(batches.of("web")).as("the other rule's batches").isEmpty();
    }

    /**
     * Checks that a deleted file that a rule matches is reported as deleted.
     *
     * @throws IOException when the file cannot be deleted
     */
    @Test
    public void aDeletedFileIsReportedAsDeleted() throws IOException {
        Path doomed = write(file("src/old.py"), "old = True\n");
        Batches batches = new Batches();
        start(batches, rule("api", "src/**/*.py"));

        Files.delete(doomed);

        ChangeBatch batch = batches.awaitPath("api", doomed);
        assertThat(batch.deleted()).containsExactly(doomed);
        assertThat(batch.created()).isEmpty();
        assertThat(batch.modified()).isEmpty();
    }

    /** Checks that files no rule matches are not reported: another extension, another folder. */
    @Test
    public void aFileNoRuleMatchesIsNotReported() {
        write(file("src/notes.txt"), "v1\n");
        Batches batches = new Batches();
        start(batches, rule("api", "src/**/*.py"));

        write(file("src/notes.txt"), "v2\n");
        write(file("src/readme.md"), "# read me\n");
        write(file("docs/guide.py"), "outside the rule's folder\n");

        assertNothingElse(batches, "api", "src");
    }

    /** Checks that files in {@link ChangeWatcher#DEFAULT_IGNORES} folders are never reported, new or existing. */
    @Test
    public void filesInIgnoredFoldersAreNotReported() {
        write(file("node_modules/left-pad/index.py"), "v1\n");
        write(file(".git/hooks/pre-commit.py"), "v1\n");
        Batches batches = new Batches();
        start(batches, rule("api", "**/*.py"));

        write(file("node_modules/left-pad/index.py"), "v2\n");
        write(file(".git/hooks/pre-commit.py"), "v2\n");
        write(file("node_modules/new-package/lib/main.py"), "new\n");
        write(file("apps/web/node_modules/vite/cli.py"), "nested\n");
        write(file(".git/objects/ab/cdef.py"), "object\n");
        write(file("__pycache__/main.cpython-312.py"), "cache\n");
        write(file(".venv/lib/site.py"), "venv\n");

        assertNothingElse(batches, "api", "src");
    }

    /** Checks that rewriting a file with the content it already holds is not reported. */
    @Test
    public void rewritingAFileWithTheSameContentIsNotReported() {
        Path same = write(file("src/same.py"), "unchanged = True\n");
        Batches batches = new Batches();
        start(batches, rule("api", "src/**/*.py"));

        write(same, "unchanged = True\n");

        assertNothingElse(batches, "api", "src");
    }

    /** Checks that a burst of writes (new files and repeated saves of one file) is delivered as one batch. */
    @Test
    public void aBurstOfWritesIsOneBatch() {
        Path saved = write(file("src/app.py"), "version = 0\n");
        Batches batches = new Batches();
        start(batches, rule("api", "src/**/*.py"));

        Set<Path> created = new HashSet<>();
        for (int i = 1; i <= 20; i++) {
            created.add(write(file("src/generated/model" + i + ".py"), "model = " + i + "\n"));
            write(saved, "version = " + i + "\n");
        }

        await().atMost(patience())
                .untilAsserted(() -> assertThat(batches.of("api").stream()
                                .flatMap(b -> b.paths().stream())
                                .collect(Collectors.toSet()))
                        .as("paths reported so far")
                        .containsAll(created));
        assertThat(batches.of("api")).singleElement().satisfies(batch -> {
            assertThat(batch.created()).containsExactlyInAnyOrderElementsOf(created);
            assertThat(batch.modified()).containsExactly(saved);
        });
        batches.clear();
        assertNothingElse(batches, "api", "src");
    }

    /**
     * Checks that a write farm reports with {@link ChangeWatcher#wrote(Path)} is not reported, and that the next
     * change by someone else is.
     */
    @Test
    public void aWriteFarmReportsWithWroteIsNotReported() {
        Path generated = write(file("src/api.py"), "# generated v1\n");
        Batches batches = new Batches();
        ChangeWatcher watcher = start(batches, rule("api", "src/**/*.py"));

        write(generated, "# generated v2\n");
        watcher.wrote(generated);

        assertNothingElse(batches, "api", "src");

        batches.clear();
        write(generated, "# edited by hand\n");
        assertThat(batches.awaitPath("api", generated).modified()).containsExactly(generated);
    }

    /** Checks that folders made after {@link ChangeWatcher#start} are watched: their new files and later edits. */
    @Test
    public void aFolderMadeAfterStartIsWatched() {
        Batches batches = new Batches();
        start(batches, rule("api", "**/*.py"));

        Path deep = write(file("pkg/sub/deeper/x.py"), "x = 1\n"); // mkdir -p, then write
        assertThat(batches.awaitPath("api", deep).created()).contains(deep);

        batches.clear();
        write(deep, "x = 2\n");
        assertThat(batches.awaitPath("api", deep).modified()).containsExactly(deep);

        Path sibling = write(file("pkg/sub/deeper/y.py"), "y = 1\n");
        assertThat(batches.awaitPath("api", sibling).created()).containsExactly(sibling);
    }

    /**
     * Checks that a closed watcher delivers nothing more, while a second watcher of the same folder sees the write.
     */
    @Test
    public void nothingIsDeliveredAfterClose() {
        Batches closing = new Batches();
        Batches open = new Batches();
        ChangeWatcher watcher = start(closing, rule("api", "src/**/*.py"));
        start(open, rule("api", "src/**/*.py"));
        Path before = write(file("src/before.py"), "before\n");
        closing.awaitPath("api", before);
        open.awaitPath("api", before);

        watcher.close();
        Path after = write(file("src/after.py"), "after\n");

        open.awaitPath("api", after);
        assertThat(closing.all)
                .as("batches of the closed watcher")
                .allSatisfy(b -> assertThat(b.paths()).containsExactly(before));
    }

    /**
     * Checks the lifecycle: {@link ChangeWatcher#start} works once, {@link ChangeWatcher#close()} may be called twice,
     * and use after close throws {@link IllegalStateException}.
     */
    @Test
    public void itStartsOnceAndRefusesUseAfterClose() {
        Batches batches = new Batches();
        ChangeWatcher watcher = start(batches, rule("api", "src/**/*.py"));

        assertThatThrownBy(() -> watcher.start(batches)).as("a second start").isInstanceOf(IllegalStateException.class);
        watcher.close();
        watcher.close();
        assertThatThrownBy(() -> watcher.start(batches))
                .as("start after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> watcher.wrote(file("src/a.py")))
                .as("wrote after close")
                .isInstanceOf(IllegalStateException.class);
    }

    /** Checks that starting on a folder that does not exist throws a {@link WatchException} naming it. */
    @Test
    public void aMissingRootFailsTheStartWithAWatchException() {
        Path missing = root.resolve("no-such-project");
        ChangeWatcher watcher = watcher(missing, List.of(new WatchRule("api", missing, List.of("**/*.py"), List.of())));
        watchers.add(watcher);

        assertThatThrownBy(() -> watcher.start(new Batches()))
                .isInstanceOf(WatchException.class)
                .hasMessageContaining(missing.toString());
    }
}
