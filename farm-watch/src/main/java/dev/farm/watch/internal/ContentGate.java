package dev.farm.watch.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One rule's baselines, and the decision whether its matched files really changed.
 *
 * <p>A baseline is a file's state (size, modification time, inode) and, once taken, its content hash. The watcher
 * starts with states only (a stat per matched file, cheap) and hashes in the background; a file whose state still
 * equals its baseline is unchanged without being read, unless the baseline is <em>racy</em>: its modification time is
 * within {@value #RACY_MILLIS} ms of when it was taken, so a later write could carry the same time (file systems keep
 * coarse times; git calls this "racily clean"). Otherwise the file is hashed and compared: {@code touch}, an identical
 * save and a rename-over with identical content change the state but not the hash, so they do nothing. A file whose
 * state changed before its hash was taken counts as modified, since what it held is no longer known.
 *
 * <p>Thread-safe: the rule's worker checks, the start-up hasher settles hashes with a conditional replace (never over
 * a newer baseline), and {@link #wrote} may come from any thread.
 */
final class ContentGate {

    static final long RACY_MILLIS = 2_000;

    /**
     * What a file was.
     *
     * @param state its state when the baseline was taken
     * @param hash its content hash, when {@code hashed}
     * @param hashed whether the hash was taken
     * @param takenAtMillis when the state was read, wall time
     */
    record Baseline(FileState state, long hash, boolean hashed, long takenAtMillis) {
        boolean racy() {
            return state.modifiedMillis() >= takenAtMillis - RACY_MILLIS;
        }
    }

    /** What a check found. */
    record Changes(Set<Path> created, Set<Path> modified, Set<Path> deleted) {
        boolean isEmpty() {
            return created.isEmpty() && modified.isEmpty() && deleted.isEmpty();
        }
    }

    private final ConcurrentSkipListMap<String, Baseline> baselines = new ConcurrentSkipListMap<>();
    private final LongSupplier wallMillis;

    ContentGate(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    /** Records a file's state at start, before its hash is known. */
    Baseline snapshot(Path file, FileState state, long takenAtMillis) {
        Baseline baseline = new Baseline(state, 0, false, takenAtMillis);
        baselines.put(file.toString(), baseline);
        return baseline;
    }

    /**
     * Adds the hash to a start-up snapshot, unless the baseline was replaced meanwhile.
     *
     * @return whether it was settled
     */
    boolean settle(Path file, Baseline snapshot, long hash) {
        Baseline hashed = new Baseline(snapshot.state(), hash, true, snapshot.takenAtMillis());
        return baselines.replace(file.toString(), snapshot, hashed);
    }

    @Nullable
    Baseline baseline(Path file) {
        return baselines.get(file.toString());
    }

    /** Tells whether a baseline exists for the path or below it (a deleted folder). */
    boolean knowsAtOrBelow(Path path) {
        String key = path.toString();
        return baselines.containsKey(key) || !below(key).isEmpty();
    }

    /** Every file with a baseline. */
    List<Path> known() {
        List<Path> files = new ArrayList<>();
        for (String key : baselines.keySet()) {
            files.add(Path.of(key));
        }
        return files;
    }

    int size() {
        return baselines.size();
    }

    /**
     * Compares candidates (and every known file below a candidate, for a folder that went away) with their baselines,
     * and moves the baselines on.
     *
     * @param candidates paths the rule matched, or folders that were deleted
     * @return what changed
     */
    Changes check(Collection<Path> candidates) {
        Set<Path> all = new TreeSet<>(candidates);
        for (Path candidate : candidates) {
            for (String key : below(candidate.toString()).keySet()) {
                all.add(Path.of(key));
            }
        }
        Set<Path> created = new TreeSet<>();
        Set<Path> modified = new TreeSet<>();
        Set<Path> deleted = new TreeSet<>();
        for (Path file : all) {
            String key = file.toString();
            Baseline before = baselines.get(key);
            FileState now = FileState.read(file);
            if (now == null) {
                if (before != null) {
                    baselines.remove(key);
                    deleted.add(file);
                }
                continue;
            }
            if (before != null && before.state().equals(now) && !before.racy()) {
                continue;
            }
            long takenAt = wallMillis.getAsLong();
            Baseline after = hashed(file, now, takenAt);
            if (after == null) { // vanished while being read
                if (before != null) {
                    baselines.remove(key);
                    deleted.add(file);
                }
                continue;
            }
            baselines.put(key, after);
            if (before == null) {
                created.add(file);
            } else if (!before.hashed() || !after.hashed()) {
                modified.add(file); // what it held before is unknown
            } else if (before.hash() != after.hash() || before.state().size() != now.size()) {
                modified.add(file);
            }
        }
        return new Changes(created, modified, deleted);
    }

    /** Makes a file's current content its baseline (or forgets it when it is gone), so farm's own write does nothing. */
    void wrote(Path file) {
        FileState now = FileState.read(file);
        if (now == null) {
            baselines.remove(file.toString());
            return;
        }
        Baseline after = hashed(file, now, wallMillis.getAsLong());
        if (after == null) {
            baselines.remove(file.toString());
        } else {
            baselines.put(file.toString(), after);
        }
    }

    /** Hashes a file; a file that cannot be read gets a state-only baseline, null when it is gone. */
    private static @Nullable Baseline hashed(Path file, FileState state, long takenAt) {
        try {
            return new Baseline(state, ContentHash.of(file), true, takenAt);
        } catch (IOException e) {
            return FileState.read(file) == null ? null : new Baseline(state, 0, false, takenAt);
        }
    }

    /** The baselines strictly below a folder path: keys from "path/" up to (not including) "path0". */
    private NavigableMap<String, Baseline> below(String key) {
        char separator = File.separatorChar;
        if (!key.isEmpty() && key.charAt(key.length() - 1) == separator) {
            return baselines.tailMap(key, false);
        }
        return baselines.subMap(key + separator, true, key + (char) (separator + 1), false);
    }
}
