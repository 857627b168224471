package dev.farm.watch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatcherTest {

    private static final Path BASE = Path.of("/p");

    private static RuleMatcher rule(List<String> globs, List<String> ignore) {
        return new RuleMatcher(new WatchRule("r", BASE, globs, ignore));
    }

    @Test
    void globsAreAnchoredAtTheBase() {
        RuleMatcher rule = rule(List.of("*.py", "/apps/api/**/*.py", "./docs/*.md"), List.of());
        assertThat(rule.matches(BASE.resolve("setup.py"))).isTrue();
        assertThat(rule.matches(BASE.resolve("lib/setup.py"))).isFalse();
        assertThat(rule.matches(BASE.resolve("apps/api/main.py"))).isTrue();
        assertThat(rule.matches(BASE.resolve("docs/a.md"))).isTrue();
        assertThat(rule.matches(Path.of("/elsewhere/setup.py"))).isFalse();
        assertThat(rule.matches(BASE)).isFalse();
    }

    @Test
    void theLastMatchingGlobDecides() {
        RuleMatcher rule = rule(List.of("src/**", "!src/gen/**", "src/gen/keep.ts"), List.of());
        assertThat(rule.matches(BASE.resolve("src/a.ts"))).isTrue();
        assertThat(rule.matches(BASE.resolve("src/gen/api.ts"))).isFalse();
        assertThat(rule.matches(BASE.resolve("src/gen/keep.ts"))).isTrue();
    }

    @Test
    void theRulesIgnoresAreGitignoreStyle() {
        RuleMatcher rule = rule(List.of("**/*.py"), List.of("migrations/", "test_*.py"));
        assertThat(rule.matches(BASE.resolve("app/models.py"))).isTrue();
        assertThat(rule.matches(BASE.resolve("app/migrations/0001.py"))).isFalse();
        assertThat(rule.matches(BASE.resolve("app/test_models.py"))).isFalse();
        assertThat(rule.ignoresFolder(BASE.resolve("app/migrations"))).isTrue();
        assertThat(rule.ignoresFolder(BASE.resolve("app"))).isFalse();
    }

    @Test
    void literalPrefixesTellWhereMatchesCanBe() {
        RuleMatcher rule = rule(List.of("apps/api/src/**/*.py", "config/.env", "!apps/web/**"), List.of());
        assertThat(rule.prefixes()).containsExactly(BASE.resolve("apps/api/src"), BASE.resolve("config"));
        assertThat(rule.relevant(BASE)).isTrue();
        assertThat(rule.relevant(BASE.resolve("apps"))).isTrue();
        assertThat(rule.relevant(BASE.resolve("apps/api/src/models/deep"))).isTrue();
        assertThat(rule.relevant(BASE.resolve("apps/web"))).isFalse();
        assertThat(rule.relevant(BASE.resolve("docs"))).isFalse();
        assertThat(rule.named(BASE.resolve("apps/api"))).isTrue();
        assertThat(rule.named(BASE.resolve("apps/api/src/models"))).isFalse();
        assertThat(rule.literal(BASE.resolve("config/.env"))).isTrue();
    }

    @Test
    void aGlobMustBeAPathPattern() {
        assertThatThrownBy(() -> rule(List.of("../shared/**"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> rule(List.of("/"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: a path pattern");
    }
}
