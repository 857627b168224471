package dev.farm.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Reads one output stream of a process on its own thread and hands over each line, decoded as UTF-8 (invalid bytes
 * become U+FFFD), without its {@code \n} or {@code \r\n}. The last line is handed over even without a line break.
 * Lines longer than {@link #MAX_LINE} bytes are handed over in pieces of that size. The stream ends when every process
 * holding its other end has closed it, which may be long after the process farm started has exited.
 */
final class OutputPump implements Runnable {

    static final int MAX_LINE = 8 * 1024 * 1024;

    /** Opens the stream on the pump's own thread: opening a FIFO blocks until the process opens its end. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private final Consumer<String> lines;
    private final CountDownLatch begin = new CountDownLatch(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    OutputPump(InputStream in, Consumer<String> lines) {
        this(() -> in, lines);
        begin();
    }

    /** A pump that opens its stream when it runs, and reads from it once {@link #begin()} is called. */
    OutputPump(Opener opener, Consumer<String> lines) {
        this.opener = opener;
        this.lines = lines;
    }

    /** Lets the pump read: lines are handed over only after the process was announced. */
    void begin() {
        begin.countDown();
    }

    /** Completes when the stream has ended and every line has been handed over. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[16 * 1024];
        byte[] line = new byte[256];
        int length = 0;
        try (InputStream in = opener.open()) {
            begin.await();
            int read;
            while ((read = in.read(buffer)) != -1) {
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        line = append(line, length, buffer, start, i - start);
                        length += i - start;
                        emit(line, length);
                        length = 0;
                        start = i + 1;
                    }
                }
                int rest = read - start;
                if (rest > 0) {
                    if (length + rest > MAX_LINE) {
                        emit(line, length);
                        length = 0;
                    }
                    line = append(line, length, buffer, start, rest);
                    length += rest;
                }
            }
        } catch (IOException e) {
            // The stream was closed under us: the process is gone and farm stopped waiting for its output.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (length > 0) {
                emit(line, length);
            }
            done.complete(null);
        }
    }

    private void emit(byte[] bytes, int length) {
        int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
        lines.accept(new String(bytes, 0, end, StandardCharsets.UTF_8));
    }

    private static byte[] append(byte[] line, int length, byte[] source, int offset, int count) {
        byte[] target = line;
        if (length + count > target.length) {
            target = Arrays.copyOf(target, Math.max(length + count, target.length * 2));
        }
        System.arraycopy(source, offset, target, length, count);
        return target;
    }
}
