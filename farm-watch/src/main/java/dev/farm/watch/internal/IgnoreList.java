package dev.farm.watch.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gitignore-style patterns, relative to one folder, decided last match first.
 *
 * <p>A line is a pattern unless it is blank or starts with {@code #} ({@code \#} is a literal hash). Trailing spaces
 * are dropped unless escaped with {@code \}. A leading {@code !} re-includes what an earlier pattern excluded ({@code
 * \!} is a literal). A trailing {@code /} matches folders only. A pattern with a {@code /} at its start or middle is
 * anchored to the folder (a leading {@code /} is dropped); one without matches a name at any depth. {@code **} is as in
 * {@link GlobMatcher}. As in git, a path below an excluded folder cannot be re-included: callers evaluate each folder on
 * the way and stop at the first excluded one.
 */
final class IgnoreList {

    static final IgnoreList EMPTY = new IgnoreList(List.of());

    /** One parsed line. */
    record Entry(String line, GlobMatcher matcher, boolean negated, boolean folderOnly) {}

    private final List<Entry> entries;

    private IgnoreList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses the lines of a {@code .gitignore} file, or a list of ignore globs.
     *
     * @param lines the lines
     * @return the patterns, in order
     */
    static IgnoreList parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            Entry entry = parseLine(line);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new IgnoreList(entries);
    }

    static @Nullable Entry parseLine(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        while (line.endsWith(" ") && !line.endsWith("\\ ")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        boolean negated = line.startsWith("!");
        String pattern = negated ? line.substring(1) : line;
        boolean folderOnly = false;
        while (pattern.endsWith("/")) {
            folderOnly = true;
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (pattern.isEmpty()) {
            return null;
        }
        GlobMatcher matcher;
        if (pattern.indexOf('/') >= 0) {
            while (pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            if (pattern.isEmpty()) {
                return null;
            }
            matcher = GlobMatcher.anchored(pattern, false);
        } else {
            matcher = GlobMatcher.anywhere(pattern);
        }
        return new Entry(raw, matcher, negated, folderOnly);
    }

    /**
     * Decides one path by itself (not its parents).
     *
     * @param relativePath the path relative to this list's folder, {@code /}-separated
     * @param folder whether the path is a folder
     * @return true when excluded, false when re-included by a negation, null when no pattern matched
     */
    @Nullable
    Boolean match(String relativePath, boolean folder) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            if ((folder || !entry.folderOnly()) && entry.matcher().matches(relativePath)) {
                return !entry.negated();
            }
        }
        return null;
    }

    /**
     * Decides a path and every folder on the way to it: excluded when a folder on the way is, or the path itself is.
     *
     * @param relativePath the path relative to this list's folder
     * @param folder whether the path is a folder
     * @return whether the path is excluded
     */
    boolean excludes(String relativePath, boolean folder) {
        if (entries.isEmpty()) {
            return false;
        }
        int slash = relativePath.indexOf('/');
        while (slash > 0) {
            if (Boolean.TRUE.equals(match(relativePath.substring(0, slash), true))) {
                return true;
            }
            slash = relativePath.indexOf('/', slash + 1);
        }
        return Boolean.TRUE.equals(match(relativePath, folder));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<Entry> entries() {
        return entries;
    }
}
