package dev.farm.watch;

import java.util.function.Consumer;

/**
 * Watches project folders and delivers what changed as {@link ChangeBatch}es: debounced (a quiet window, then a
 * maximum wait), matched against each rule's globs, and only when the content of a matched file really changed.
 *
 * <p>This is the API sketch; the default implementation over io.methvin's directory-watcher comes with the
 * farm-watch issue.
 *
 * @since 0.1
 */
public interface ChangeWatcher extends AutoCloseable {

    /**
     * Registers every folder and returns once changes are being seen; batches then go to the listener, one at a
     * time, on a thread of the watcher.
     *
     * @param listener receives each batch; an exception it throws is logged and the watcher goes on
     * @throws IllegalStateException when started before, or closed
     */
    void start(Consumer<ChangeBatch> listener);

    /** Stops watching and releases every watch; calling it again does nothing. */
    @Override
    void close();
}
