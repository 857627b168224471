package dev.farm.process.spi;

import dev.farm.process.LogLine;

/**
 * Receives every line a service writes on its standard output and error.
 *
 * <p>The supervisor calls {@link #accept(LogLine)} from the thread that reads the service's stream, one thread per
 * stream, so calls for different services and streams arrive concurrently and implementations must be thread-safe.
 * Lines of one stream arrive in order. A slow sink slows the reading of that stream; an exception is logged and the
 * line dropped for this sink only.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LogSink {

    /**
     * Takes one line.
     *
     * @param line the line, without its line break, never {@code null}
     */
    void accept(LogLine line);
}
