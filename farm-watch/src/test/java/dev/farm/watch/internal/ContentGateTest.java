package dev.farm.watch.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content gate on real files, with file times set explicitly instead of waiting. */
class ContentGateTest {

    private final FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));

    @TempDir
    Path dir;

    private final ContentGate gate = new ContentGate(System::currentTimeMillis);

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, UTF_8);
        return file;
    }

    private ContentGate.Changes check(Path... paths) {
        return gate.check(List.of(paths));
    }

    @Test
    void aNewFileIsCreatedOnceThenUnchanged() throws IOException {
        Path file = write("a.py", "print(1)");
        assertThat(check(file).created()).containsExactly(file);
        assertThat(check(file).isEmpty()).isTrue();
    }

    @Test
    void touchIdenticalRewriteAndIdenticalRenameOverChangeNothing() throws IOException {
        Path file = write("a.py", "print(1)");
        check(file);

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5))); // touch
        assertThat(check(file).isEmpty()).isTrue();

        Files.writeString(file, "print(1)", UTF_8); // an editor saving unchanged content
        assertThat(check(file).isEmpty()).isTrue();

        Path temp = write("a.py.tmp", "print(1)"); // atomic save: write a temporary, rename it over
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(check(file).isEmpty()).isTrue();
    }

    @Test
    void newContentIsModified() throws IOException {
        Path file = write("a.py", "print(1)");
        check(file);
        Files.writeString(file, "print(2)", UTF_8);
        assertThat(check(file).modified()).containsExactly(file);
    }

    @Test
    void sameSizeAndTimeWithinTheRacyWindowIsStillRead() throws IOException {
        Path file = write("a.py", "aaaa");
        check(file); // the baseline is racy: the file was written just now
        FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, "bbbb", UTF_8);
        Files.setLastModifiedTime(file, time); // a second write within the file system's time granularity
        assertThat(check(file).modified()).containsExactly(file);
    }

    @Test
    void anOldFileWhoseStateDidNotChangeIsNotRead() throws IOException {
        Path file = write("a.py", "aaaa");
        Files.setLastModifiedTime(file, anHourAgo);
        check(file);
        Files.writeString(file, "bbbb", UTF_8);
        Files.setLastModifiedTime(file, anHourAgo); // only a forged time hides a change
        assertThat(check(file).isEmpty()).isTrue();
    }

    @Test
    void deletedFilesAndEverythingBelowADeletedFolder() throws IOException {
        Path one = write("a/one.py", "1");
        Path two = write("a/b/two.py", "2");
        Path sibling = write("a-b/three.py", "3"); // sorts between "a" and "a/" as a string
        check(one, two, sibling);
        Files.delete(one);
        Files.delete(two);
        Files.delete(two.getParent());
        Files.delete(one.getParent());
        assertThat(gate.knowsAtOrBelow(dir.resolve("a"))).isTrue();
        ContentGate.Changes changes = check(dir.resolve("a"));
        assertThat(changes.deleted()).containsExactlyInAnyOrder(one, two);
        assertThat(gate.known()).containsExactly(sibling);
        assertThat(gate.knowsAtOrBelow(dir.resolve("a"))).isFalse();
    }

    @Test
    void aFileCreatedAndDeletedBeforeTheCheckIsNothing() {
        assertThat(check(dir.resolve("gone.py")).isEmpty()).isTrue();
    }

    @Test
    void aStartSnapshotIsUnchangedWhileItsStateIsAndModifiedOnceItChangedUnhashed() throws IOException {
        Path file = write("a.py", "print(1)");
        Files.setLastModifiedTime(file, anHourAgo);
        gate.snapshot(file, Objects.requireNonNull(FileState.read(file)), System.currentTimeMillis());
        assertThat(check(file).isEmpty()).isTrue();

        Files.setLastModifiedTime(file, FileTime.from(Instant.now())); // touched before its hash was taken
        assertThat(check(file).modified()).containsExactly(file);
    }

    @Test
    void aSettledSnapshotGatesATouch() throws IOException {
        Path file = write("a.py", "print(1)");
        ContentGate.Baseline snapshot =
                gate.snapshot(file, Objects.requireNonNull(FileState.read(file)), System.currentTimeMillis());
        assertThat(gate.settle(file, snapshot, ContentHash.of(file))).isTrue();
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(check(file).isEmpty()).isTrue();
    }

    @Test
    void settlingNeverOverwritesANewerBaseline() throws IOException {
        Path file = write("a.py", "print(1)");
        ContentGate.Baseline snapshot =
                gate.snapshot(file, Objects.requireNonNull(FileState.read(file)), System.currentTimeMillis());
        Files.writeString(file, "print(22)", UTF_8);
        gate.wrote(file);
        assertThat(gate.settle(file, snapshot, 42)).isFalse();
        assertThat(check(file).isEmpty()).isTrue();
    }

    @Test
    void wroteMakesTheCurrentContentTheBaseline() throws IOException {
        Path file = write("gen/api.ts", "export {}");
        check(file);
        Files.writeString(file, "export const a = 1;", UTF_8);
        gate.wrote(file);
        assertThat(check(file).isEmpty()).isTrue();

        Files.delete(file);
        gate.wrote(file);
        assertThat(check(file).isEmpty()).isTrue();
        assertThat(gate.size()).isZero();
    }

    @Test
    void theHashTellsContentsApart() throws IOException {
        assertThat(ContentHash.of(write("x", "abc"))).isEqualTo(ContentHash.of(write("y", "abc")));
        assertThat(ContentHash.of(write("z", "abd"))).isNotEqualTo(ContentHash.of(write("y", "abc")));
    }
}
