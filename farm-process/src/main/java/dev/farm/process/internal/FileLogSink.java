package dev.farm.process.internal;

import dev.farm.process.LogLine;
import dev.farm.process.spi.LogSink;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each service's lines to {@code <directory>/<service>.log}, one line per {@link LogLine}: {@code
 * 2026-12-01T18:26:55.123Z out text} (the time in UTC with milliseconds, {@code out} or {@code err}, then the text
 * without ANSI escape sequences), in UTF-8. Characters outside {@code [A-Za-z0-9._-]} in a service name become {@code
 * _} in the file name. An existing file is appended to.
 *
 * <p>Lines are buffered, 64 KiB per service, and written out by {@link #endOfBatch()}, when a buffer fills, and by
 * {@link #close()}. When a line would take a file past {@code maxBytes}, the file is closed and rotated: {@code .log.k}
 * becomes {@code .log.k+1} for k from {@code keep - 1} down to 1 (the oldest is replaced), {@code .log} becomes {@code
 * .log.1}, and a new {@code .log} starts. A single line longer than {@code maxBytes} is written whole.
 *
 * <p>When a file cannot be opened or written, that is logged once at WARN and the service's lines are counted but
 * dropped until they would have filled the file; then rotation and a fresh file are tried again. {@link
 * #accept(LogLine)} never throws an {@link IOException}.
 *
 * <p>Thread-safe (every method takes one lock), but meant to be called from one thread: wrap it in an {@link
 * AsyncLogSink}.
 */
public final class FileLogSink implements LogSink, BatchAware, AutoCloseable {

    /** 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    /** Three rotated files. */
    public static final int DEFAULT_KEEP = 3;

    static final int BUFFER_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FileLogSink.class);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.");
    private static final int SCRATCH_KEEP = 256 * 1024;
    private static final byte[] OUT = " out ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERR = " err ".getBytes(StandardCharsets.US_ASCII);

    private final Path directory;
    private final long maxBytes;
    private final int keep;

    // Guarded by this.
    private final Map<String, LogFile> byService = new HashMap<>();
    private final Map<String, LogFile> byFileName = new HashMap<>();
    private byte[] scratch = new byte[1024];
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] secondPrefix = new byte[0];
    private boolean closed;

    /**
     * Creates the sink; nothing is created on disk before the first line.
     *
     * @param directory where the files go, created when missing
     * @param maxBytes the size at which a file is rotated, at least 1
     * @param keep how many rotated files to keep, at least 0
     */
    public FileLogSink(Path directory, long maxBytes, int keep) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        if (keep < 0) {
            throw new IllegalArgumentException("keep: " + keep + " (expected: >= 0)");
        }
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    /**
     * Returns the file a service's lines go to.
     *
     * @param directory the sink's directory
     * @param service the service's name
     * @return {@code directory/<service>.log}, with unsafe characters of the name replaced by {@code _}
     */
    static Path fileOf(Path directory, String service) {
        return directory.resolve(fileName(service));
    }

    /**
     * Buffers the line, rotating the service's file first if the line would take it past the size limit.
     *
     * @param line the line, never {@code null}
     */
    @Override
    public synchronized void accept(LogLine line) {
        if (closed) {
            return;
        }
        LogFile file = byService.get(line.service());
        if (file == null) {
            file = fileFor(line.service());
        }
        int length = encode(line);
        if (file.size > 0 && file.size + length > maxBytes) {
            rotate(file);
        }
        file.size += length;
        if (file.stream == null) {
            file.dropped++;
        } else {
            try {
                file.write(scratch, length);
            } catch (IOException e) {
                fail(file, "write", e);
            }
        }
        if (scratch.length > SCRATCH_KEEP) {
            scratch = new byte[1024]; // do not hold on to the room a giant line needed
        }
    }

    /** Writes out what the buffers hold. */
    @Override
    public synchronized void endOfBatch() {
        for (LogFile file : byFileName.values()) {
            try {
                file.flush();
            } catch (IOException e) {
                fail(file, "write", e);
            }
        }
    }

    /** Writes out what the buffers hold and closes the files; later lines are ignored. Harmless when repeated. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LogFile file : byFileName.values()) {
            try {
                file.close();
            } catch (IOException e) {
                fail(file, "close", e);
            }
        }
    }

    @Override
    public String toString() {
        return "log files in " + directory;
    }

    private LogFile fileFor(String service) {
        String name = fileName(service);
        LogFile file = byFileName.get(name);
        if (file == null) {
            file = new LogFile(service, directory.resolve(name));
            byFileName.put(name, file);
            open(file);
        }
        byService.put(service, file);
        return file;
    }

    private void open(LogFile file) {
        try {
            Files.createDirectories(directory);
            FileOutputStream stream = new FileOutputStream(file.path.toFile(), true);
            file.stream = stream;
            file.size = stream.getChannel().size();
            if (file.failed) {
                LOG.info(
                        "writing {} again; {} lines of service '{}' were dropped while it could not be written",
                        file.path,
                        file.dropped,
                        file.service);
                file.failed = false;
                file.dropped = 0;
            }
        } catch (IOException e) {
            fail(file, "open", e);
            file.size = 0; // try again once the lines dropped would have filled a file
        }
    }

    private void rotate(LogFile file) {
        try {
            file.close();
        } catch (IOException e) {
            fail(file, "close", e);
        }
        try {
            String base = file.path.getFileName().toString();
            if (keep == 0) {
                Files.deleteIfExists(file.path);
            } else {
                for (int k = keep - 1; k >= 1; k--) {
                    moveIfExists(
                            file.path.resolveSibling(base + "." + k), file.path.resolveSibling(base + "." + (k + 1)));
                }
                moveIfExists(file.path, file.path.resolveSibling(base + ".1"));
            }
        } catch (IOException e) {
            fail(file, "rotate", e);
            file.size = 0; // try again once the lines dropped would have filled a file
            return;
        }
        open(file);
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // nothing to move
        }
    }

    private void fail(LogFile file, String action, IOException e) {
        file.discard();
        if (file.failed) {
            LOG.debug("cannot {} {} again: {}", action, file.path, e.toString());
            return;
        }
        file.failed = true;
        LOG.warn(
                "cannot {} the log file of service '{}' at {}: {}. Its lines are dropped from that file until they"
                        + " would have filled {} bytes, then farm rotates it and tries again. Check free space and"
                        + " permissions of {}.",
                action,
                file.service,
                file.path,
                e.toString(),
                maxBytes,
                directory);
    }

    /**
     * Encodes the formatted line, with its line break and without escape sequences ({@link Ansi}), into {@link
     * #scratch}; returns its length in bytes.
     */
    private int encode(LogLine line) {
        String text = line.text();
        Instant time = line.time();
        byte[] prefix = secondPrefix(time.getEpochSecond());
        // At most three bytes a char (a surrogate pair is two chars for four), plus the prefix, "000Z err " and \n.
        long worst = 3L * text.length() + prefix.length + 10;
        if (worst > scratch.length) {
            scratch = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(worst, 2L * scratch.length))];
        }
        byte[] b = scratch;
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        int p = prefix.length;
        int millis = time.getNano() / 1_000_000;
        b[p++] = (byte) ('0' + millis / 100);
        b[p++] = (byte) ('0' + (millis / 10) % 10);
        b[p++] = (byte) ('0' + millis % 10);
        b[p++] = 'Z';
        byte[] stream = line.stream() == LogLine.Stream.STDOUT ? OUT : ERR;
        System.arraycopy(stream, 0, b, p, stream.length);
        p += stream.length;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c == '\u001b') {
                    i = Ansi.skip(text, i) - 1; // strip escape sequences as we go, without copying the text
                } else {
                    b[p++] = (byte) c;
                }
            } else if (c == '\u009b') {
                i = Ansi.skip(text, i) - 1;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (!Character.isSurrogate(c)) {
                b[p++] = (byte) (0xe0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                b[p++] = (byte) (0xf0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                // A lone surrogate has no encoding: write U+FFFD, as the decoder does for invalid input.
                b[p++] = (byte) 0xef;
                b[p++] = (byte) 0xbf;
                b[p++] = (byte) 0xbd;
            }
        }
        b[p++] = '\n';
        return p;
    }

    /** Returns {@code 2026-12-01T18:26:55.} for the second, formatting it only when the second changed. */
    private byte[] secondPrefix(long epochSecond) {
        if (epochSecond != cachedSecond) {
            String formatted = SECOND.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
            secondPrefix = formatted.getBytes(StandardCharsets.US_ASCII);
            cachedSecond = epochSecond;
        }
        return secondPrefix;
    }

    static String fileName(String service) {
        StringBuilder name = new StringBuilder(service.length() + 4);
        for (int i = 0; i < service.length(); i++) {
            char c = service.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            name.append(safe ? c : '_');
        }
        return name.append(".log").toString();
    }

    /** One log file and its buffer; several services whose names sanitize alike share one. */
    private static final class LogFile {
        final String service;
        final Path path;
        final byte[] buffer = new byte[BUFFER_BYTES];
        int buffered;

        @Nullable
        OutputStream stream;
        /** Bytes in the file, or that would be there had the lines not been dropped. */
        long size;

        boolean failed;
        long dropped;

        LogFile(String service, Path path) {
            this.service = service;
            this.path = path;
        }

        void write(byte[] bytes, int length) throws IOException {
            OutputStream out = stream;
            if (out == null) {
                return;
            }
            if (length > buffer.length - buffered) {
                flush();
                if (length >= buffer.length) {
                    out.write(bytes, 0, length);
                    return;
                }
            }
            System.arraycopy(bytes, 0, buffer, buffered, length);
            buffered += length;
        }

        void flush() throws IOException {
            OutputStream out = stream;
            if (out != null && buffered > 0) {
                int count = buffered;
                buffered = 0;
                out.write(buffer, 0, count);
            }
        }

        void close() throws IOException {
            OutputStream out = stream;
            if (out != null) {
                try {
                    flush();
                } finally {
                    stream = null;
                    out.close();
                }
            }
        }

        /** Forgets the buffer and closes the stream, after a failure. */
        void discard() {
            buffered = 0;
            OutputStream out = stream;
            stream = null;
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // already failing; the caller reports the first problem
                }
            }
        }
    }
}
