package dev.farm.watch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * The changes one rule saw in one debounce window.
 *
 * @param rule the name of the rule whose globs matched
 * @param created paths that appeared
 * @param modified paths whose content changed
 * @param deleted paths that disappeared
 * @since 0.1
 */
public record ChangeBatch(String rule, Set<Path> created, Set<Path> modified, Set<Path> deleted) {

    /**
     * Validates the components and copies the sets.
     *
     * @param rule the name of the rule whose globs matched
     * @param created paths that appeared
     * @param modified paths whose content changed
     * @param deleted paths that disappeared
     */
    public ChangeBatch {
        Objects.requireNonNull(rule, "rule");
        created = Set.copyOf(created);
        modified = Set.copyOf(modified);
        deleted = Set.copyOf(deleted);
    }

    /**
     * Tells whether nothing changed.
     *
     * @return true when all three sets are empty
     */
    public boolean isEmpty() {
        return created.isEmpty() && modified.isEmpty() && deleted.isEmpty();
    }
}
