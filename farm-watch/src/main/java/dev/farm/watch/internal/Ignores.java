package dev.farm.watch.internal;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher-wide ignores of one watched folder: the global list (farm's defaults and the builder's globs, anchored at
 * the folder) and, when enabled, every {@code .gitignore} at or below it, each relative to its own folder. A path is
 * decided by itself; later sources win (the global list, then {@code .gitignore} files from the top down), and within
 * a source the last matching line wins. {@code .gitignore} files are read the first time their folder is looked at and
 * kept; thread-safe.
 */
final class Ignores {

    private static final Logger LOG = LoggerFactory.getLogger(Ignores.class);

    private final Path top;
    private final IgnoreList global;
    private final boolean gitignore;
    private final Map<Path, IgnoreList> gitignores = new ConcurrentHashMap<>();

    Ignores(Path top, IgnoreList global, boolean gitignore) {
        this.top = top;
        this.global = global;
        this.gitignore = gitignore;
    }

    /**
     * Decides one path by itself; the caller has already decided the folders on the way.
     *
     * @param path a path at or below the top folder, absolute
     * @param folder whether it is a folder
     * @return whether it is ignored
     */
    boolean ignored(Path path, boolean folder) {
        if (path.equals(top)) {
            return false;
        }
        Boolean decision = global.match(relative(top, path), folder);
        if (gitignore) {
            Deque<Path> dirs = new ArrayDeque<>(); // top first
            for (Path dir = path.getParent(); dir != null && dir.startsWith(top); dir = dir.getParent()) {
                dirs.push(dir);
            }
            for (Path dir : dirs) {
                IgnoreList list = gitignoreOf(dir);
                if (!list.isEmpty()) {
                    Boolean match = list.match(relative(dir, path), folder);
                    if (match != null) {
                        decision = match;
                    }
                }
            }
        }
        return Boolean.TRUE.equals(decision);
    }

    private IgnoreList gitignoreOf(Path dir) {
        if (gitignores.size() >= Scope.CACHE_LIMIT) {
            gitignores.clear(); // read again when needed
        }
        return gitignores.computeIfAbsent(dir, Ignores::read);
    }

    private static IgnoreList read(Path dir) {
        Path file = dir.resolve(".gitignore");
        try {
            return IgnoreList.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return IgnoreList.EMPTY;
        } catch (MalformedInputException e) {
            LOG.warn("{} is not UTF-8; farm watches as if it were not there. Save it as UTF-8.", file);
            return IgnoreList.EMPTY;
        } catch (IOException e) {
            if (Files.isRegularFile(file)) {
                LOG.warn("{} could not be read ({}); farm watches as if it were not there", file, e.toString());
            }
            return IgnoreList.EMPTY;
        }
    }

    /** The {@code /}-separated path of {@code path} below {@code dir}. */
    static String relative(Path dir, Path path) {
        Path relative = dir.relativize(path);
        String text = relative.toString();
        String separator = path.getFileSystem().getSeparator();
        return separator.equals("/") ? text : text.replace(separator, "/");
    }
}
