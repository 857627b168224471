package dev.farm.watch.internal;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events from io.methvin's directory-watcher: one {@link DirectoryWatcher} for every watched folder, with file hashing
 * off (its startup hashing blocks, and its rename-over check compares hashes with {@code ==}) and a {@link
 * FileTreeVisitor} that skips what {@link Scope} does not enter, so ignored trees cost no inotify watch. directory-watcher
 * also walks each folder that appears with that visitor, starting at the new folder itself, which is why {@link
 * Scope#walk} decides its start.
 *
 * <p>The listener only enqueues. directory-watcher 0.19.1 loses an {@code OVERFLOW} as a {@code NullPointerException}
 * in {@code onException} ({@code pathHashes.get(null)}); that, an explicit overflow and any unexpected failure become
 * {@link RawEvent.Kind#OVERFLOW} (rescan), and the inotify watch limit hit while registering a new folder becomes
 * {@link RawEvent.Kind#LIMIT}.
 */
final class MethvinSource implements EventSource {

    private static final Logger LOG = LoggerFactory.getLogger(MethvinSource.class);

    private final Scope scope;
    private final EventSink sink;
    private final WatchServiceFactory watchServices;
    private final ThreadFactory threads;
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();
    private final Listener listener = new Listener();
    private final Map<Path, @Nullable Object> rootKeys = new HashMap<>();
    private volatile boolean closed;
    private @Nullable DirectoryWatcher watcher;
    private @Nullable CompletableFuture<Void> loop;

    MethvinSource(Scope scope, EventSink sink, WatchServiceFactory watchServices, ThreadFactory threads) {
        this.scope = scope;
        this.sink = sink;
        this.watchServices = watchServices;
        this.threads = threads;
    }

    @Override
    public void start() throws IOException {
        List<Path> roots = scope.roots();
        for (Path root : roots) {
            rootKeys.put(
                    root, Files.readAttributes(root, BasicFileAttributes.class).fileKey());
        }
        FileTreeVisitor visitor = new Visitor();
        WatchService service = watchServices.create(visitor);
        DirectoryWatcher created = DirectoryWatcher.builder()
                .paths(roots)
                .listener(listener)
                .fileHashing(false)
                .fileTreeVisitor(visitor)
                .watchService(service)
                .logger(LoggerFactory.getLogger(DirectoryWatcher.class))
                .build();
        watcher = created;
        // Registers every folder before it returns; a failure comes back as a failed future.
        CompletableFuture<Void> running =
                created.watchAsync(runnable -> threads.newThread(runnable).start());
        loop = running;
        if (running.isCompletedExceptionally()) {
            close();
            try {
                running.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException unchecked) {
                    throw unchecked.getCause();
                }
                throw new IOException("cannot register " + roots + ": " + cause, cause);
            }
        }
    }

    @Override
    public boolean polling() {
        return false;
    }

    @Override
    public boolean healthy() {
        CompletableFuture<Void> running = loop;
        if (closed || running == null || running.isDone()) {
            return false;
        }
        for (Map.Entry<Path, @Nullable Object> root : rootKeys.entrySet()) {
            try {
                Object key = Files.readAttributes(root.getKey(), BasicFileAttributes.class)
                        .fileKey();
                if (!Objects.equals(key, root.getValue())) {
                    return false; // deleted and created again
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        DirectoryWatcher current = watcher;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service failed: {}", e.toString());
            }
        }
    }

    /** The folders directory-watcher was given, for tests: none may be below an ignored one. */
    Set<Path> folders() {
        return Set.copyOf(folders);
    }

    /** The listener given to directory-watcher, for tests that feed it what 0.19.1 does on overflow. */
    DirectoryChangeListener listener() {
        return listener;
    }

    private final class Visitor implements FileTreeVisitor {
        @Override
        public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
            scope.walk(start, null, new Scope.Visit() {
                @Override
                public void folder(Path dir) throws IOException {
                    try {
                        onDirectory.call(dir);
                        folders.add(dir);
                    } catch (NoSuchFileException | AccessDeniedException e) {
                        LOG.debug("cannot watch {}: {}", dir, e.toString()); // gone already, or not ours to read
                    }
                }

                @Override
                public void file(Path file, BasicFileAttributes attributes) throws IOException {
                    onFile.call(file);
                }
            });
        }
    }

    private final class Listener implements DirectoryChangeListener {
        @Override
        public void onEvent(DirectoryChangeEvent event) {
            Path path = event.path();
            switch (event.eventType()) {
                case CREATE -> sink.accept(RawEvent.of(RawEvent.Kind.CREATED, path, event.isDirectory()));
                case MODIFY -> sink.accept(RawEvent.of(RawEvent.Kind.MODIFIED, path, event.isDirectory()));
                case DELETE -> sink.accept(RawEvent.of(RawEvent.Kind.DELETED, path, event.isDirectory()));
                case OVERFLOW -> sink.accept(RawEvent.lost(RawEvent.Kind.OVERFLOW, null));
            }
        }

        @Override
        public boolean isWatching() {
            return !closed;
        }

        @Override
        public void onException(Exception e) {
            if (closed) {
                return;
            }
            if (e instanceof NullPointerException) {
                LOG.debug("events were lost (directory-watcher reports an overflow as {}); rescanning", e.toString());
                sink.accept(RawEvent.lost(RawEvent.Kind.OVERFLOW, e));
            } else if (WatchLimits.watchLimit(e)) {
                sink.accept(RawEvent.lost(RawEvent.Kind.LIMIT, e));
            } else if (e instanceof NoSuchFileException) {
                LOG.debug("a folder went away while it was being watched: {}", e.toString());
            } else {
                LOG.debug("directory-watcher failed; rescanning", e);
                sink.accept(RawEvent.lost(RawEvent.Kind.OVERFLOW, e));
            }
        }
    }
}
