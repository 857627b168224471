package dev.farm.watch.internal;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a source saw, queued for the dispatcher.
 *
 * @param kind what happened
 * @param path the path, for created, modified and deleted
 * @param folder whether the path is a folder, as far as the source knows
 * @param cause why events were lost, for an overflow or the watch limit
 */
record RawEvent(
        Kind kind,
        @Nullable Path path,
        boolean folder,
        @Nullable Exception cause) {

    enum Kind {
        CREATED,
        MODIFIED,
        DELETED,
        /** Events were lost: rescan. */
        OVERFLOW,
        /** The inotify watch limit was reached while watching a new folder: poll instead, and rescan. */
        LIMIT
    }

    static RawEvent of(Kind kind, Path path, boolean folder) {
        return new RawEvent(kind, path, folder, null);
    }

    static RawEvent lost(Kind kind, @Nullable Exception cause) {
        return new RawEvent(kind, null, false, cause);
    }
}
