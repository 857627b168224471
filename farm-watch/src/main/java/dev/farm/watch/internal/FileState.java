package dev.farm.watch.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a stat says about a regular file: size, modification time and identity (device and inode on Unix, so a
 * rename-over is a new file even when size and time agree).
 *
 * @param size the size in bytes
 * @param modifiedNanos the modification time, in nanoseconds since the epoch
 * @param key the file key, if the platform has one
 */
record FileState(long size, long modifiedNanos, @Nullable Object key) {

    static FileState of(BasicFileAttributes attributes) {
        return new FileState(
                attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.fileKey());
    }

    /**
     * Stats a path.
     *
     * @return its state, or null when it is missing or not a regular file (following links)
     */
    static @Nullable FileState read(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return attributes.isRegularFile() ? of(attributes) : null;
        } catch (IOException e) {
            return null;
        }
    }

    long modifiedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(modifiedNanos);
    }
}
