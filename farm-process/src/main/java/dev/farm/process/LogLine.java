package dev.farm.process;

import java.time.Instant;
import java.util.Objects;

/**
 * One line a service wrote.
 *
 * @param service the service's name
 * @param stream which stream it came from
 * @param text the line without its line break; invalid UTF-8 shows as U+FFFD
 * @param time when farm read it
 * @since 0.1
 */
public record LogLine(String service, Stream stream, String text, Instant time) {

    /**
     * Validates the components.
     *
     * @param service the service's name
     * @param stream which stream it came from
     * @param text the line without its line break; invalid UTF-8 shows as U+FFFD
     * @param time when farm read it
     */
    public LogLine {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
    }

    /** A process's output streams. */
    public enum Stream {
        /** Standard output. */
        STDOUT,
        /** Standard error. */
        STDERR
    }
}
