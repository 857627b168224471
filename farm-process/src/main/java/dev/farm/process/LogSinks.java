package dev.farm.process;

import dev.farm.process.internal.AsyncLogSink;
import dev.farm.process.internal.FileLogSink;
import dev.farm.process.spi.LogSink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The built-in log sinks, each of which hands lines to its own thread so a slow disk or consumer never holds up the
 * thread reading a service's output. Close what these methods return, for example in the same {@code
 * try}-with-resources as the supervisor; closing delivers what is still queued.
 *
 * <pre>{@code
 * try (LogSinks.Handle files = LogSinks.files(Path.of(".farm/logs"));
 *         ProcessSupervisor supervisor = ProcessSupervisor.builder().service(api).logSink(files).build()) {
 *     supervisor.start();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class LogSinks {

    /**
     * Memory a sink may hold in queued lines before it drops them: a quarter of the heap, at most 256 MiB, counting two
     * bytes a character.
     */
    public static final long QUEUE_BYTES = AsyncLogSink.DEFAULT_BYTE_BUDGET;

    /** Size at which {@link #files(Path)} rotates a service's log file: 10 MiB. */
    public static final long MAX_FILE_BYTES = FileLogSink.DEFAULT_MAX_BYTES;

    /** How many rotated files {@link #files(Path)} keeps per service: 3. */
    public static final int KEEP_FILES = FileLogSink.DEFAULT_KEEP;

    private LogSinks() {}

    /**
     * Writes each service's lines to {@code <directory>/<service>.log}, rotating at {@value #MAX_FILE_BYTES} bytes and
     * keeping {@value #KEEP_FILES} rotated files.
     *
     * @param directory where the files go, such as {@code .farm/logs}; created with the first line
     * @return a sink to close when the services are stopped, never {@code null}
     * @see #files(Path, long, int)
     */
    public static Handle files(Path directory) {
        return files(directory, MAX_FILE_BYTES, KEEP_FILES);
    }

    /**
     * Writes each service's lines to {@code <directory>/<service>.log}. Each line reads {@code
     * 2026-12-01T18:26:55.123Z out text} (UTC with milliseconds, {@code out} or {@code err}, then the text without
     * ANSI colour and cursor codes), in UTF-8. Characters outside {@code [A-Za-z0-9._-]} in a service name become
     * {@code _} in the file name, and an existing file is appended to. When a line would take a file past {@code
     * maxBytes}, {@code <service>.log} is renamed {@code <service>.log.1}, {@code .1} to {@code .2} and so on up to
     * {@code keep}, the oldest is deleted, and a new file starts. A file that cannot be written is reported once at
     * WARN through SLF4J; that service's lines are dropped until the next rotation would be due, then writing is
     * retried.
     *
     * @param directory where the files go, such as {@code .farm/logs}; created with the first line
     * @param maxBytes the size at which a file is rotated, at least 1
     * @param keep how many rotated files to keep per service, at least 0
     * @return a sink to close when the services are stopped, never {@code null}
     * @throws IllegalArgumentException when {@code maxBytes} or {@code keep} is out of range
     */
    public static Handle files(Path directory, long maxBytes, int keep) {
        return new AsyncLogSink(new FileLogSink(directory, maxBytes, keep), QUEUE_BYTES, true);
    }

    /**
     * Hands the lines to {@code sink} on a thread of its own, in order. The returned sink never blocks the caller; when
     * {@code sink} falls {@link #QUEUE_BYTES} bytes behind, further lines are dropped until it has caught up, and it
     * then receives one line per service on {@link LogLine.Stream#STDERR} saying {@code [farm] N lines dropped: <sink>
     * could not keep up}. Closing the returned sink does not close {@code sink}.
     *
     * @param sink the slow sink, never {@code null}
     * @return a sink to close when the services are stopped, never {@code null}
     */
    public static Handle async(LogSink sink) {
        return new AsyncLogSink(sink, QUEUE_BYTES, false);
    }

    /**
     * A log sink that delivers on a thread of its own and must be closed.
     *
     * <p>{@link #accept(LogLine)} only queues the line and never blocks; it may be called from any thread. The first
     * line starts a daemon thread named {@code farm-process-sink-<n>}, which delivers lines in the order they were
     * accepted and survives exceptions of the sink it delivers to (each is logged at WARN).
     *
     * @since 0.1
     */
    public interface Handle extends LogSink, AutoCloseable {

        /**
         * Waits until every line accepted before this call has been delivered (and written out, for files).
         *
         * @param timeout how long to wait at most
         * @return {@code true} when everything was delivered, {@code false} on timeout, interruption or after a
         *     {@link #close()} that had to give up
         */
        boolean flush(Duration timeout);

        /**
         * Delivers what is queued, waiting a few seconds at most, then stops the thread; lines accepted afterwards are
         * dropped. Harmless when repeated, and callable from any thread.
         */
        @Override
        void close();
    }
}
