package dev.farm.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreListTest {

    private static IgnoreList gitignore(String text) {
        return IgnoreList.parse(text.lines().toList());
    }

    @Test
    void commentsBlankLinesAndTrailingSpaces() {
        IgnoreList list = gitignore("""
                # a comment

                \\#hash
                spaced   \r
                escaped\\ \s
                """);
        assertThat(list.entries()).hasSize(3);
        assertThat(list.excludes("#hash", false)).isTrue();
        assertThat(list.excludes("# a comment", false)).isFalse();
        assertThat(list.excludes("spaced", false)).isTrue();
        assertThat(list.excludes("escaped ", false)).isTrue();
        assertThat(list.excludes("escaped", false)).isFalse();
    }

    @Test
    void unanchoredMatchesAtAnyDepthAnchoredOnlyAtTheTop() {
        IgnoreList list = gitignore("""
                build
                /dist
                docs/generated
                """);
        assertThat(list.excludes("build", true)).isTrue();
        assertThat(list.excludes("a/b/build", true)).isTrue();
        assertThat(list.excludes("dist", true)).isTrue();
        assertThat(list.excludes("web/dist", true)).isFalse();
        assertThat(list.excludes("docs/generated", true)).isTrue();
        assertThat(list.excludes("site/docs/generated", true)).isFalse();
    }

    @Test
    void trailingSlashMeansFoldersOnly() {
        IgnoreList list = gitignore("logs/\n");
        assertThat(list.excludes("logs", true)).isTrue();
        assertThat(list.excludes("logs", false)).isFalse();
        assertThat(list.excludes("logs/today.txt", false)).isTrue(); // below an excluded folder
    }

    @Test
    void negationReincludesButNotBelowAnExcludedFolder() {
        IgnoreList list = gitignore("""
                *.log
                !keep.log
                secret/
                !secret/readme.md
                """);
        assertThat(list.excludes("a.log", false)).isTrue();
        assertThat(list.excludes("keep.log", false)).isFalse();
        assertThat(list.excludes("deep/keep.log", false)).isFalse();
        assertThat(list.match("keep.log", false)).isFalse(); // decided: re-included
        assertThat(list.match("other.txt", false)).isNull(); // undecided
        assertThat(list.excludes("secret/readme.md", false)).isTrue(); // as in git
    }

    @Test
    void lastMatchWins() {
        IgnoreList list = gitignore("""
                !important.txt
                *.txt
                """);
        assertThat(list.excludes("important.txt", false)).isTrue();
    }

    @Test
    void doubleStars() {
        IgnoreList list = gitignore("""
                **/cache
                out/**
                a/**/z
                """);
        assertThat(list.excludes("cache", true)).isTrue();
        assertThat(list.excludes("x/y/cache", true)).isTrue();
        assertThat(list.excludes("out/a/b", false)).isTrue();
        assertThat(list.excludes("out", true)).isFalse();
        assertThat(list.excludes("a/z", true)).isTrue();
        assertThat(list.excludes("a/b/c/z", true)).isTrue();
    }

    @Test
    void escapedBangIsLiteral() {
        IgnoreList list = gitignore("\\!important\n");
        assertThat(list.excludes("!important", false)).isTrue();
    }

    @Test
    void bracesAreLiteralInGitignore() {
        IgnoreList list = IgnoreList.parse(List.of("{a,b}"));
        assertThat(list.excludes("{a,b}", false)).isTrue();
        assertThat(list.excludes("a", false)).isFalse();
    }

    @Test
    void aLoneSlashOrBangIsNoPattern() {
        assertThat(IgnoreList.parse(List.of("/", "!", "!/", "   ")).isEmpty()).isTrue();
    }
}
