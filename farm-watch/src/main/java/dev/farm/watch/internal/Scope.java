package dev.farm.watch.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the watcher looks at: the watched folders (the project and any rule base outside it), which folders below them
 * are entered, and which files count. Thread-safe; folder decisions are cached, since none of their inputs changes.
 *
 * <p>A folder below a watched folder is entered when some rule can have a match in it or below it ({@link
 * RuleMatcher#relevant}) and either a rule names it on the way to a literal prefix, or the watcher-wide ignores do not
 * exclude it. A file counts when its name is no editor temporary, its folder is entered, and a rule names it literally
 * or the ignores do not exclude it. Each path is decided by itself under an entered parent, so as in git nothing below
 * an excluded folder comes back.
 */
final class Scope {

    private static final Logger LOG = LoggerFactory.getLogger(Scope.class);

    /** What a walk finds. */
    interface Visit {
        void folder(Path dir) throws IOException;

        void file(Path file, BasicFileAttributes attributes) throws IOException;
    }

    private final List<Path> roots;
    private final Map<Path, Ignores> ignores;
    private final List<RuleMatcher> rules;
    private final Map<Path, Boolean> folders = new ConcurrentHashMap<>();

    /** Folders come and go (temporary build folders); past this many decisions the cache starts over. */
    static final int CACHE_LIMIT = 100_000;

    Scope(Path project, List<RuleMatcher> rules, List<String> ignoreGlobs, boolean gitignore) {
        this.rules = List.copyOf(rules);
        Set<Path> candidates = new LinkedHashSet<>();
        candidates.add(project.toAbsolutePath().normalize());
        for (RuleMatcher rule : rules) {
            candidates.add(rule.base());
        }
        List<Path> cover = new ArrayList<>();
        for (Path candidate : candidates) {
            if (candidates.stream().noneMatch(other -> !other.equals(candidate) && candidate.startsWith(other))) {
                cover.add(candidate);
            }
        }
        this.roots = List.copyOf(cover);
        IgnoreList global = IgnoreList.parse(ignoreGlobs);
        Map<Path, Ignores> byRoot = new HashMap<>();
        for (Path root : roots) {
            byRoot.put(root, new Ignores(root, global, gitignore));
        }
        this.ignores = Map.copyOf(byRoot);
    }

    List<Path> roots() {
        return roots;
    }

    List<RuleMatcher> rules() {
        return rules;
    }

    @Nullable
    Path rootOf(Path path) {
        for (Path root : roots) {
            if (path.startsWith(root)) {
                return root;
            }
        }
        return null;
    }

    /** Tells whether a folder is entered: it and every folder from its watched folder down to it. */
    boolean visibleFolder(Path dir) {
        if (roots.contains(dir)) {
            return true;
        }
        Boolean known = folders.get(dir);
        if (known != null) {
            return known;
        }
        Path parent = dir.getParent();
        boolean visible = parent != null && rootOf(dir) != null && visibleFolder(parent) && enters(dir);
        if (folders.size() >= CACHE_LIMIT) {
            folders.clear();
        }
        folders.put(dir, visible);
        return visible;
    }

    /** Decides one folder whose parent is entered. */
    private boolean enters(Path dir) {
        boolean relevant = false;
        for (RuleMatcher rule : rules) {
            if (rule.named(dir)) {
                return true;
            }
            relevant |= rule.relevant(dir);
        }
        if (!relevant) {
            return false;
        }
        Path root = rootOf(dir);
        return root != null && !ignores.get(root).ignored(dir, true);
    }

    /** Tells whether a file counts: not an editor temporary, in an entered folder, and not ignored. */
    boolean visibleFile(Path file) {
        Path name = file.getFileName();
        Path parent = file.getParent();
        if (name == null || parent == null || EditorTemp.isTemp(name.toString()) || !visibleFolder(parent)) {
            return false;
        }
        for (RuleMatcher rule : rules) {
            if (rule.literal(file)) {
                return true;
            }
        }
        Path root = rootOf(file);
        return root != null && !ignores.get(root).ignored(file, false);
    }

    /**
     * Walks the entered folders from {@code start} (itself decided too, since directory-watcher also walks each folder
     * that appears), reporting entered folders and counting files.
     *
     * @param start where to begin
     * @param only when not null, enter only folders where this rule can have a match
     * @param visit what to tell
     * @throws IOException when a callback throws
     */
    void walk(Path start, @Nullable RuleMatcher only, Visit visit) throws IOException {
        if (!visibleFolder(start) || (only != null && (!only.relevant(start) || only.ignoresFolder(start)))) {
            return;
        }
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(start)
                        && (!visibleFolder(dir)
                                || (only != null && (!only.relevant(dir) || only.ignoresFolder(dir))))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                visit.folder(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!attributes.isDirectory() && visibleFile(file)) {
                    visit.file(file, attributes);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                LOG.debug("cannot look at {}: {}", file, e.toString());
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
