package dev.farm.watch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * The changes one rule saw in one debounce window.
 *
 * @param rule the name of the rule whose globs matched
 * @param created paths that appeared, absolute
 * @param modified paths whose content changed, absolute
 * @param deleted paths that disappeared, absolute
 * @param rescan true when events were lost (the kernel's queue overflowed, or the watch had to be rebuilt) and the
 *     watcher rescanned the rule's files: the sets hold what the rescan found changed, and the action should treat its
 *     inputs as changed
 * @since 0.1
 */
public record ChangeBatch(String rule, Set<Path> created, Set<Path> modified, Set<Path> deleted, boolean rescan) {

    /**
     * Validates the components and copies the sets.
     *
     * @param rule the name of the rule whose globs matched
     * @param created paths that appeared
     * @param modified paths whose content changed
     * @param deleted paths that disappeared
     * @param rescan whether events were lost and the rule's files were rescanned
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
     * @return true when all three sets are empty and it is no rescan
     */
    public boolean isEmpty() {
        return created.isEmpty() && modified.isEmpty() && deleted.isEmpty() && !rescan;
    }

    /**
     * Returns every changed path.
     *
     * @return created, modified and deleted together
     */
    public Set<Path> paths() {
        java.util.Set<Path> all = new java.util.TreeSet<>(created);
        all.addAll(modified);
        all.addAll(deleted);
        return Set.copyOf(all);
    }
}
