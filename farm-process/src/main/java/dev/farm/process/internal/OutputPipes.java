package dev.farm.process.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pair of named pipes (FIFOs) for one process's standard output and error, so that farm reads its output until
 * every process holding the pipe has closed it.
 *
 * <p>Java's own process pipes cannot do that: when the process it started exits, the JDK drains what is buffered and
 * closes its end of the pipe, so whatever a child that outlived its parent writes afterwards is lost. With FIFOs the
 * reader's end is farm's own file descriptor. A pump opens the read end on its thread (that open blocks until a writer
 * comes), {@link ProcessBuilder} opens the write end for the child and hands it over, and the names are unlinked at
 * once: the pipes live as long as someone holds them. Where {@code mkfifo} is missing (Windows), Java's pipes are used.
 */
final class OutputPipes {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPipes.class);

    private static final Optional<Path> MKFIFO = ProcessTree.executable("mkfifo");
    private static final AtomicLong COUNT = new AtomicLong();
    private static final Object DIRECTORY_LOCK = new Object();
    private static @Nullable Path directory;
    private static boolean broken;

    final Path out;
    final Path err;

    private OutputPipes(Path out, Path err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Makes a pair of FIFOs in a private folder.
     *
     * @return the pair, or empty where FIFOs cannot be made (then Java's pipes are used)
     */
    static Optional<OutputPipes> create() {
        Path folder = folder();
        if (folder == null || MKFIFO.isEmpty()) {
            return Optional.empty();
        }
        long n = COUNT.incrementAndGet();
        Path out = folder.resolve(n + ".out");
        Path err = folder.resolve(n + ".err");
        try {
            Process mkfifo = new ProcessBuilder(MKFIFO.get().toString(), "-m", "600", out.toString(), err.toString())
                    .redirectErrorStream(true)
                    .start();
            mkfifo.getOutputStream().close();
            byte[] message = mkfifo.getInputStream().readAllBytes();
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                giveUp("mkfifo failed: " + new String(message, java.nio.charset.StandardCharsets.UTF_8).strip());
                return Optional.empty();
            }
            return Optional.of(new OutputPipes(out, err));
        } catch (IOException e) {
            giveUp("cannot run mkfifo: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Unlinks the names; the open pipes stay. */
    void unlink() {
        for (Path fifo : new Path[] {out, err}) {
            try {
                Files.deleteIfExists(fifo);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", fifo, e.toString());
            }
        }
    }

    /**
     * Lets pumps that still wait to open their end go: the process never started. Opening a FIFO for reading and
     * writing never blocks (Linux, macOS), and it counts as a writer, so a blocked reader's open returns and then reads
     * end-of-file.
     */
    void release() {
        for (Path fifo : new Path[] {out, err}) {
            try (RandomAccessFile unblock = new RandomAccessFile(fifo.toFile(), "rw")) {
                LOG.trace("released {} ({} bytes)", fifo, unblock.getFilePointer());
            } catch (IOException e) {
                LOG.debug("cannot release {}: {}", fifo, e.toString());
            }
        }
        unlink();
    }

    private static @Nullable Path folder() {
        synchronized (DIRECTORY_LOCK) {
            if (broken) {
                return null;
            }
            if (directory == null) {
                try {
                    Path created = Files.createTempDirectory(
                            "farm-pipes-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    created.toFile().deleteOnExit();
                    directory = created;
                } catch (IOException | UnsupportedOperationException e) {
                    giveUp("cannot create a folder for output pipes: " + e);
                    return null;
                }
            }
            return directory;
        }
    }

    private static void giveUp(String why) {
        synchronized (DIRECTORY_LOCK) {
            if (!broken) {
                LOG.warn(
                        "{}; farm reads output through Java's pipes, which lose what a child writes after its parent"
                                + " exited",
                        why);
            }
            broken = true;
        }
    }
}
