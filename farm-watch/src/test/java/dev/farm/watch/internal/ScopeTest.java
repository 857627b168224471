package dev.farm.watch.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders are entered and which files count, on a small tree. */
class ScopeTest {

    @TempDir
    Path root;

    private Scope scope(List<String> globs, List<String> extraIgnores) {
        List<String> ignores = new ArrayList<>(ChangeWatcher.DEFAULT_IGNORES);
        ignores.addAll(extraIgnores);
        return new Scope(root, List.of(new RuleMatcher(new WatchRule("r", root, globs, List.of()))), ignores, true);
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    private Path file(String name, String content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, UTF_8);
        return file;
    }

    @Test
    void defaultIgnoresAndGitignoreKeepFoldersOut() throws IOException {
        file(".gitignore", "# build output\n/out/\n*.log\n!keep.log\ngenerated\n");
        file("src/.gitignore", "local/\n");
        Scope scope = scope(List.of("**/*"), List.of("tmp"));
        assertThat(scope.visibleFolder(dir("src"))).isTrue();
        assertThat(scope.visibleFolder(dir("node_modules"))).isFalse();
        assertThat(scope.visibleFolder(dir("src/node_modules/pkg"))).isFalse();
        assertThat(scope.visibleFolder(dir(".git"))).isFalse();
        assertThat(scope.visibleFolder(dir("out"))).isFalse();
        assertThat(scope.visibleFolder(dir("src/out"))).isTrue(); // "/out/" is anchored
        assertThat(scope.visibleFolder(dir("a/generated"))).isFalse();
        assertThat(scope.visibleFolder(dir("src/local"))).isFalse(); // the nested .gitignore
        assertThat(scope.visibleFolder(dir("local"))).isTrue();
        assertThat(scope.visibleFolder(dir("tmp"))).isFalse(); // the builder's ignore
        assertThat(scope.visibleFile(file("src/app.log", ""))).isFalse();
        assertThat(scope.visibleFile(file("src/keep.log", ""))).isTrue();
        assertThat(scope.visibleFile(file("src/.app.py.swp", ""))).isFalse();
        assertThat(scope.visibleFile(file("node_modules/x/index.js", ""))).isFalse();
    }

    @Test
    void foldersNoRuleCanMatchInAreNotEntered() throws IOException {
        Scope scope = scope(List.of("apps/api/src/**/*.py"), List.of());
        assertThat(scope.visibleFolder(dir("apps/api/src/models"))).isTrue();
        assertThat(scope.visibleFolder(dir("apps/web"))).isFalse();
        assertThat(scope.visibleFolder(dir("docs"))).isFalse();
    }

    @Test
    void aRuleReachesIntoAnIgnoredFolderByNamingIt() throws IOException {
        file(".gitignore", ".env\n");
        Scope scope = scope(List.of("dist/**/*.js", ".env"), List.of());
        assertThat(scope.visibleFolder(dir("dist/assets"))).isTrue();
        assertThat(scope.visibleFolder(dir("dist/node_modules"))).isFalse(); // ignored by its own name
        assertThat(scope.visibleFile(file(".env", "A=1"))).isTrue();
    }

    @Test
    void aWalkDecidesItsStartToo() throws IOException {
        file("node_modules/a/index.js", "x");
        file("src/a.js", "x");
        Scope scope = scope(List.of("**/*.js"), List.of());
        List<Path> seen = new ArrayList<>();
        Scope.Visit visit = new Scope.Visit() {
            @Override
            public void folder(Path dir) {
                seen.add(dir);
            }

            @Override
            public void file(Path file, BasicFileAttributes attributes) {
                seen.add(file);
            }
        };
        scope.walk(root.resolve("node_modules"), null, visit); // directory-watcher walking a new node_modules
        assertThat(seen).isEmpty();
        scope.walk(root, null, visit);
        assertThat(seen).containsExactlyInAnyOrder(root, root.resolve("src"), root.resolve("src/a.js"));
    }

    @Test
    void gitignoreCanBeTurnedOff() throws IOException {
        file(".gitignore", "src/\n");
        Scope scope = new Scope(
                root,
                List.of(new RuleMatcher(new WatchRule("r", root, List.of("**/*"), List.of()))),
                ChangeWatcher.DEFAULT_IGNORES,
                false);
        assertThat(scope.visibleFolder(dir("src"))).isTrue();
    }

    @Test
    void aRuleBaseOutsideTheProjectIsWatchedToo(@TempDir Path other) {
        Scope scope = new Scope(
                root,
                List.of(
                        new RuleMatcher(new WatchRule("in", root.resolve("a"), List.of("**"), List.of())),
                        new RuleMatcher(new WatchRule("out", other, List.of("**"), List.of()))),
                List.of(),
                true);
        assertThat(scope.roots()).containsExactly(root, other);
    }
}
