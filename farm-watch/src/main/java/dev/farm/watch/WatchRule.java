package dev.farm.watch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One rule: which files, under which folder, make up one action's inputs.
 *
 * <p>Globs are gitignore-style and relative to {@code base}: {@code *} matches within one path segment, {@code **}
 * across segments, and {@code models/**}{@code /*.py} matches {@code models/user.py} too ({@code **}{@code /} is zero or
 * more folders, unlike Java's {@code glob:}). A glob starting with {@code !} takes matching paths out again; later globs
 * win over earlier ones. A path is matched relative to {@code base}, with {@code /} separators on every platform.
 *
 * @param name the rule's name, unique in a watcher; batches carry it
 * @param base the folder the globs are relative to, absolute
 * @param globs what the rule matches, at least one that does not start with {@code !}
 * @param ignore further globs that never match, on top of the watcher's ignores
 * @since 0.1
 */
public record WatchRule(String name, Path base, List<String> globs, List<String> ignore) {

    /**
     * Validates the components and copies the lists.
     *
     * @param name the rule's name
     * @param base the folder the globs are relative to, absolute
     * @param globs what the rule matches
     * @param ignore further globs that never match
     */
    public WatchRule {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: blank (expected: a rule name)");
        }
        Objects.requireNonNull(base, "base");
        if (!base.isAbsolute()) {
            throw new IllegalArgumentException("base: " + base + " (expected: an absolute folder)");
        }
        globs = List.copyOf(globs);
        ignore = List.copyOf(ignore);
        if (globs.stream().allMatch(g -> g.startsWith("!"))) {
            throw new IllegalArgumentException("globs: " + globs + " (expected: at least one that is not a negation)");
        }
    }
}
