package dev.farm.watch;

import static dev.farm.watch.Recorder.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What an editor, a shell and farm itself do to a watched project, on the real file system. */
@Timeout(60)
class ChangeWatcherIT {

    @TempDir
    Path project;

    private final Recorder recorder = new Recorder();
    private ChangeWatcher watcher;

    private ChangeWatcher start(String... globs) {
        watcher = ChangeWatcher.builder(project)
                .rule(new WatchRule("api", project, List.of(globs), List.of()))
                .build();
        watcher.start(recorder);
        return watcher;
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private Path file(String name) {
        return project.resolve(name);
    }

    private static void atomicSave(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void anAtomicSaveWithNewContentRunsOnce() throws IOException {
        Path user = write(file("models/user.py"), "class User: pass\n");
        start("**/*.py");
        atomicSave(user, "class User:\n    name: str\n");
        ChangeBatch batch = recorder.awaitPath("api", user);
        assertThat(batch.modified()).containsExactly(user);
        assertThat(batch.created()).isEmpty();
        assertThat(batch.rescan()).isFalse();
        recorder.clear();
        recorder.assertNothingElse("api", file("sentinel.py"));
    }

    @Test
    void anAtomicSaveWithIdenticalContentRunsNever() throws IOException {
        Path user = write(file("models/user.py"), "class User: pass\n");
        start("**/*.py");
        atomicSave(user, "class User: pass\n");
        recorder.assertNothingElse("api", file("sentinel.py"));
    }

    @Test
    void touchAndAnIdenticalRewriteRightAfterStartRunNever() throws IOException {
        Path user = write(file("models/user.py"), "class User: pass\n");
        Path other = write(file("models/other.py"), "x = 1\n");
        start("**/*.py");
        Files.setLastModifiedTime(user, FileTime.from(Instant.now().plusSeconds(2))); // touch
        Files.writeString(other, "x = 1\n", UTF_8); // a tool rewriting a file unchanged
        recorder.assertNothingElse("api", file("sentinel.py"));
    }

    @Test
    void wroteMakesFarmsOwnWriteTriggerNothing() throws IOException {
        Path generated = write(file("web/src/api.ts"), "export {};\n");
        start("web/src/**/*.ts");
        write(generated, "export const users = [];\n");
        watcher.wrote(generated);
        recorder.assertNothingElse("api", file("web/src/sentinel.ts"));
    }

    @Test
    void aFileInFoldersMadeAMomentAgoIsSeen() {
        start("**/*.py");
        for (int i = 0; i < 10; i++) {
            Path x = write(file("t" + i + "/a/b/c/x.py"), "print(" + i + ")\n"); // mkdir -p t/a/b/c, then write
            assertThat(recorder.awaitPath("api", x).created()).contains(x);
        }
    }

    @Test
    void deletingAndRecreatingAWatchedFolderKeepsWorking() throws IOException {
        Path a = write(file("src/a.py"), "a\n");
        start("src/**/*.py");
        deleteTree(file("src"));
        assertThat(recorder.awaitPath("api", a).deleted()).containsExactly(a);

        Path b = write(file("src/b.py"), "b\n");
        assertThat(recorder.awaitPath("api", b).created()).contains(b);
        recorder.clear();
        write(b, "b changed\n"); // seen through a watch on the new folder, not only its walk
        assertThat(recorder.awaitPath("api", b).modified()).containsExactly(b);
    }

    @Test
    void deletingAndRecreatingTheProjectFolderKeepsWorking(@TempDir Path parent) throws IOException {
        Path root = Files.createDirectories(parent.resolve("project"));
        Path a = write(root.resolve("a.py"), "a\n");
        watcher = ChangeWatcher.builder(root)
                .rule(new WatchRule("api", root, List.of("**/*.py"), List.of()))
                .build();
        watcher.start(recorder);
        deleteTree(root);
        assertThat(recorder.awaitPath("api", a).deleted()).containsExactly(a);

        Path b = write(root.resolve("b.py"), "b\n");
        assertThat(recorder.awaitPath("api", b).created()).contains(b); // found by the rescan after the rebuild
        recorder.clear();
        Path c = write(root.resolve("c.py"), "c\n");
        await().atMost(Recorder.PATIENCE)
                .untilAsserted(() -> assertThat(recorder.batches("api"))
                        .anySatisfy(batch -> assertThat(batch.created()).contains(c)));
    }

    @Test
    void editorTemporariesNeverCount() {
        start("**");
        write(file(".user.py.swp"), "swap");
        write(file("user.py~"), "backup");
        write(file(".#user.py"), "lock");
        write(file("4913"), "vim");
        write(file("user.py___jb_tmp___"), "jetbrains");
        write(file("user.py.tmp"), "tmp");
        recorder.assertNothingElse("api", file("sentinel.py"));
    }

    @Test
    void aThrowingListenerIsLoggedAndTheWatcherGoesOn() {
        recorder.onEachBatch(batch -> {
            if (batch.paths().contains(file("boom.py"))) {
                throw new IllegalStateException("boom");
            }
        });
        start("**/*.py");
        Path boom = write(file("boom.py"), "1");
        recorder.awaitPath("api", boom);
        Path next = write(file("next.py"), "2");
        recorder.awaitPath("api", next);
    }

    @Test
    void startsOnceAndIsClosedAfterClose() {
        start("**/*.py");
        assertThat(watcher.polling()).isFalse();
        assertThatThrownBy(() -> watcher.start(recorder))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running");
        watcher.close();
        watcher.close();
        assertThatThrownBy(() -> watcher.start(recorder)).hasMessage("watcher is closed");
        assertThatThrownBy(() -> watcher.wrote(file("a.py"))).hasMessage("watcher is closed");
    }

    @Test
    void aMissingProjectFolderIsAClearError() {
        watcher = ChangeWatcher.builder(project.resolve("nope"))
                .rule(new WatchRule("api", project, List.of("**"), List.of()))
                .build();
        assertThatThrownBy(() -> watcher.start(recorder))
                .isInstanceOf(WatchException.class)
                .hasMessageContaining("nope: it does not exist. Create it");
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
