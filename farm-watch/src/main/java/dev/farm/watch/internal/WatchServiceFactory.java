package dev.farm.watch.internal;

import io.methvin.watcher.hashing.FileHasher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import io.methvin.watchservice.MacOSXListeningWatchService;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.WatchService;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Creates the watch service directory-watcher runs on; tests substitute one that fails. */
@FunctionalInterface
public interface WatchServiceFactory {

    /**
     * The operating system's: inotify through the JDK on Linux; on macOS FSEvents through directory-watcher's JNA
     * service, with a latency of 50 ms instead of its default 500 ms, file-level events, no hashing of its own, and
     * farm's folder pruning.
     */
    WatchServiceFactory DEFAULT = visitor -> {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
            return new MacOSXListeningWatchService(new MacOSXListeningWatchService.Config() {
                @Override
                public double latency() {
                    return 0.05;
                }

                @Override
                public @Nullable FileHasher fileHasher() {
                    return null; // file-level events; farm's content gate decides what changed
                }

                @Override
                public FileTreeVisitor fileTreeVisitor() {
                    return visitor;
                }
            });
        }
        return FileSystems.getDefault().newWatchService();
    };

    /**
     * Creates a watch service.
     *
     * @param visitor how folders are walked, for services that walk themselves
     * @return the service
     * @throws IOException when none can be created, for example because the inotify instance limit is reached
     */
    WatchService create(FileTreeVisitor visitor) throws IOException;
}
