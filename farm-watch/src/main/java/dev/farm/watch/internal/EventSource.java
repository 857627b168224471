package dev.farm.watch.internal;

/** Turns file-system changes into {@link RawEvent}s: directory-watcher's events, or polling. */
interface EventSource extends AutoCloseable {

    /**
     * Starts watching; returns once changes are seen.
     *
     * @throws java.io.IOException when watching cannot start
     */
    void start() throws java.io.IOException;

    boolean polling();

    /** Tells whether the source still works: its watched folders are the ones it started on, and its loop runs. */
    boolean healthy();

    @Override
    void close();
}
