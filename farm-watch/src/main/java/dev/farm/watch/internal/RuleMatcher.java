package dev.farm.watch.internal;

import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link WatchRule} compiled: which files it matches, and which folders can hold them.
 *
 * <p>Rule globs are anchored at the rule's base ({@code *.py} is a file directly in it; {@code **}{@code /*.py} one at
 * any depth), a leading {@code /} or {@code ./} changes nothing, braces are alternatives, and the last glob that
 * matches decides ({@code !} excludes). They match files, not folders: {@code src/**} is everything below {@code src}.
 * The rule's own ignore globs are gitignore-style, relative to the base, and exclude a file when they exclude it or a
 * folder on the way to it.
 *
 * <p>The literal part of each positive glob (the folders before the first wildcard) tells where matches can be: a
 * folder that is neither on the way to nor below one of them is never watched. A glob without wildcards names a file
 * literally, which the watcher-wide ignores then never hide.
 */
final class RuleMatcher {

    private record Glob(GlobMatcher matcher, boolean negated) {}

    private final WatchRule rule;
    private final Path base;
    private final List<Glob> globs;
    private final IgnoreList ignore;
    private final List<Path> prefixes;
    private final Set<Path> literals;

    RuleMatcher(WatchRule rule) {
        this.rule = rule;
        this.base = rule.base().normalize();
        List<Glob> compiled = new ArrayList<>();
        Set<Path> prefixSet = new LinkedHashSet<>();
        Set<Path> literalSet = new LinkedHashSet<>();
        for (String raw : rule.globs()) {
            boolean negated = raw.startsWith("!");
            String glob = normalize(rule, negated ? raw.substring(1) : raw);
            compiled.add(new Glob(GlobMatcher.anchored(glob, true), negated));
            if (!negated) {
                List<String> segments = GlobMatcher.segments(glob);
                Path prefix = base;
                int literal = 0;
                while (literal < segments.size() && !GlobMatcher.hasWildcard(segments.get(literal))) {
                    literal++;
                }
                if (literal == segments.size()) {
                    literalSet.add(base.resolve(glob));
                    literal--;
                }
                for (int i = 0; i < literal; i++) {
                    prefix = prefix.resolve(segments.get(i));
                }
                prefixSet.add(prefix);
            }
        }
        this.globs = List.copyOf(compiled);
        this.ignore = IgnoreList.parse(rule.ignore());
        this.prefixes = List.copyOf(prefixSet);
        this.literals = Set.copyOf(literalSet);
    }

    private static String normalize(WatchRule rule, String raw) {
        String glob = raw;
        while (glob.startsWith("/") || glob.startsWith("./")) {
            glob = glob.substring(glob.startsWith("/") ? 1 : 2);
        }
        List<String> segments = GlobMatcher.segments(glob);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException(
                    "rule " + rule.name() + ": glob '" + raw + "' (expected: a path pattern such as src/**/*.py)");
        }
        if (segments.contains("..") || segments.contains(".")) {
            throw new IllegalArgumentException("rule " + rule.name() + ": glob '" + raw
                    + "' (expected: no '.' or '..' segments; move the rule's base instead)");
        }
        return String.join("/", segments);
    }

    String name() {
        return rule.name();
    }

    Path base() {
        return base;
    }

    /** The folders a match can be in or below, absolute. */
    List<Path> prefixes() {
        return prefixes;
    }

    /**
     * Tells whether the rule matches a file.
     *
     * @param file an absolute path
     */
    boolean matches(Path file) {
        if (!file.startsWith(base) || file.equals(base)) {
            return false;
        }
        String relative = Ignores.relative(base, file);
        for (int i = globs.size() - 1; i >= 0; i--) {
            Glob glob = globs.get(i);
            if (glob.matcher().matches(relative)) {
                return !glob.negated() && !ignore.excludes(relative, false);
            }
        }
        return false;
    }

    /** Tells whether a folder may hold a match: it is on the way to, or at or below, one of the literal prefixes. */
    boolean relevant(Path dir) {
        for (Path prefix : prefixes) {
            if (dir.startsWith(prefix) || prefix.startsWith(dir)) {
                return true;
            }
        }
        return false;
    }

    /** Tells whether a folder is on the way to (or is) a literal prefix, which the rule names explicitly. */
    boolean named(Path dir) {
        for (Path prefix : prefixes) {
            if (prefix.startsWith(dir)) {
                return true;
            }
        }
        return false;
    }

    /** Tells whether a glob names this file without wildcards. */
    boolean literal(Path file) {
        return literals.contains(file);
    }

    /** Tells whether the rule's own ignores exclude a folder, so no match can be below it. */
    boolean ignoresFolder(Path dir) {
        return dir.startsWith(base) && !dir.equals(base) && ignore.excludes(Ignores.relative(base, dir), true);
    }

    @Override
    public String toString() {
        return rule.name() + " " + rule.globs();
    }
}
