package dev.farm.process.internal;

import dev.farm.process.LogLine;
import dev.farm.process.LogSinks;
import dev.farm.process.spi.LogSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues lines for a slower sink and delivers them, in order, on a daemon thread of its own ({@code
 * farm-process-sink-<n>}, started by the first line), so that the thread reading a service's output never waits for
 * a disk or a UI.
 *
 * <p>{@link #accept(LogLine)} takes a lock held only for O(1) queue operations and never waits for the delegate. The
 * queue is bounded by a byte budget (two bytes a character plus {@value #LINE_OVERHEAD} a line; a line always fits an
 * empty queue). A line that does not fit is dropped and counted for its service, and so is every line after it until
 * the delegate has caught up with the whole queue; then the delegate receives one line per affected service, on
 * stderr, saying {@code [farm] N lines dropped: <delegate> could not keep up}, before the lines that follow. Dropping
 * whole runs rather than single lines keeps what does arrive readable.
 *
 * <p>The delivery thread drains the queue in batches: it takes everything queued, delivers it, and then calls {@link
 * BatchAware#endOfBatch()} when the delegate implements it. An exception from the delegate is logged at WARN (once per
 * run of failures) and the next line is delivered. {@link #close()} delivers what is queued, for at most {@link
 * #CLOSE_TIMEOUT}, stops the thread and, if this sink owns the delegate, closes it on that thread.
 */
public final class AsyncLogSink implements LogSinks.Handle {

    /**
     * A quarter of the heap, at most 256 MiB: room for a burst of a million lines while a sink is descheduled, never
     * enough to run the embedding program out of memory.
     */
    public static final long DEFAULT_BYTE_BUDGET =
            Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);

    /** What a queued line costs beyond its characters: the line, its string and array headers, a queue slot. */
    static final int LINE_OVERHEAD = 96;

    /** How long {@link #close()} waits for the queue to drain. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** A batch after which the emptied queue is replaced rather than kept with its grown backing array. */
    private static final int BIG_BATCH = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AsyncLogSink.class);
    private static final ThreadFactory THREADS = Threads.factory("sink");

    private enum State {
        NEW,
        RUNNING,
        CLOSING,
        CLOSED
    }

    private final LogSink delegate;
    private final long byteBudget;
    private final boolean ownsDelegate;
    private final Duration closeTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there is work for the delivery thread. */
    private final Condition work = lock.newCondition();
    /** Signalled when lines were delivered or the thread ended. */
    private final Condition progress = lock.newCondition();
    /** Bytes of the lines accepted and not delivered yet, the batch being delivered included. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Lines dropped for any reason: over budget, after close, or abandoned by a close that timed out. */
    private final AtomicLong dropped = new AtomicLong();

    private volatile State state = State.NEW;
    /** Set by a close that gave up waiting: the delivery thread stops at the next line. */
    private volatile boolean abandoned;

    // Guarded by lock.
    private ArrayDeque<LogLine> pending = new ArrayDeque<>();
    private @Nullable Thread thread;
    private boolean threadWaiting;
    private boolean threadEnded;
    private long accepted;
    private long delivered;
    /** Set when a line did not fit; cleared by the delivery thread once the queue is empty. */
    private boolean overflowing;

    private Map<String, Drops> drops = new LinkedHashMap<>();
    private long overflowDrops;
    private long noticedDrops;

    /**
     * Creates the sink; its thread starts with the first line.
     *
     * @param delegate where the lines go
     * @param byteBudget the most bytes of queued lines, at least 1
     * @param ownsDelegate whether {@link #close()} also closes the delegate, when it is {@link AutoCloseable}
     */
    public AsyncLogSink(LogSink delegate, long byteBudget, boolean ownsDelegate) {
        this(delegate, byteBudget, ownsDelegate, CLOSE_TIMEOUT);
    }

    AsyncLogSink(LogSink delegate, long byteBudget, boolean ownsDelegate, Duration closeTimeout) {
        if (byteBudget < 1) {
            throw new IllegalArgumentException("byteBudget: " + byteBudget + " (expected: >= 1)");
        }
        this.delegate = delegate;
        this.byteBudget = byteBudget;
        this.ownsDelegate = ownsDelegate;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Queues the line, or drops it when the queue is over its budget or the sink is closed. Never blocks.
     *
     * @param line the line, never {@code null}
     */
    @Override
    public void accept(LogLine line) {
        long bytes = LINE_OVERHEAD + 2L * line.text().length();
        lock.lock();
        try {
            State current = state;
            if (current == State.CLOSING || current == State.CLOSED) {
                dropped.incrementAndGet();
                return;
            }
            long queued = queuedBytes.get();
            if (overflowing || (queued > 0 && queued + bytes > byteBudget)) {
                if (!overflowing) {
                    LOG.debug("log sink {} is {} bytes behind; dropping lines until it catches up", delegate, queued);
                    overflowing = true;
                }
                overflowDrops++;
                dropped.incrementAndGet();
                drops.computeIfAbsent(line.service(), service -> new Drops()).add(line.time());
                return;
            }
            queuedBytes.addAndGet(bytes);
            pending.add(line);
            accepted++;
            if (current == State.NEW) {
                startThread();
            } else if (threadWaiting) {
                threadWaiting = false;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every line accepted before this call has been delivered, along with the notices of lines dropped
     * before it.
     *
     * @param timeout how long to wait at most
     * @return whether everything was delivered in time; {@code false} when interrupted, or when the sink was closed
     *     with lines undelivered
     */
    @Override
    public boolean flush(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            long lines = accepted;
            long notices = overflowDrops;
            while (delivered < lines || noticedDrops < notices) {
                if (threadEnded || Thread.currentThread().equals(thread) || nanos <= 0) {
                    return false;
                }
                nanos = progress.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers what is queued, for at most {@link #CLOSE_TIMEOUT}, and stops the delivery thread; later lines are
     * dropped. Harmless when repeated; callable from any thread, the delivery thread included (then it stops after
     * the current batch).
     */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            State current = state;
            if (current == State.CLOSING || current == State.CLOSED) {
                return;
            }
            state = State.CLOSING;
            running = thread;
            if (running == null) {
                state = State.CLOSED;
            } else if (threadWaiting) {
                threadWaiting = false;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        if (running == null) {
            closeDelegate(); // nothing was ever accepted, so nothing runs
            return;
        }
        if (Thread.currentThread().equals(running)) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        while (running.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedJoin(running, left);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (running.isAlive()) {
            abandoned = true;
            running.interrupt();
            LOG.warn(
                    "log sink {} still had {} lines queued or in delivery {}s after close; farm stopped waiting and drops them",
                    delegate,
                    undelivered(),
                    closeTimeout.toMillis() / 1000.0);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns how many lines this sink dropped: over its budget, after close, or left undelivered by close.
     *
     * @return the count so far
     */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "async " + delegate;
    }

    private long undelivered() {
        lock.lock();
        try {
            return accepted - delivered;
        } finally {
            lock.unlock();
        }
    }

    private void startThread() {
        Thread started = THREADS.newThread(this::run);
        thread = started;
        state = State.RUNNING;
        started.start();
    }

    private void run() {
        ArrayDeque<LogLine> batch = new ArrayDeque<>();
        Failures failures = new Failures();
        try {
            while (true) {
                Map<String, Drops> notices = null;
                lock.lock();
                try {
                    while (pending.isEmpty() && state == State.RUNNING) {
                        threadWaiting = true;
                        work.await();
                    }
                    threadWaiting = false;
                    if (pending.isEmpty()) {
                        break; // closing, and everything was delivered
                    }
                    ArrayDeque<LogLine> full = pending;
                    pending = batch;
                    batch = full;
                } finally {
                    lock.unlock();
                }
                int count = batch.size();
                LogLine line;
                while ((line = batch.poll()) != null) {
                    if (abandoned) {
                        dropped.addAndGet(batch.size() + 1L);
                        batch.clear();
                        return;
                    }
                    deliver(line, failures);
                    queuedBytes.addAndGet(-(LINE_OVERHEAD + 2L * line.text().length()));
                }
                if (count > BIG_BATCH) {
                    batch = new ArrayDeque<>(); // let the room a burst needed go
                }
                endOfBatch();
                lock.lock();
                try {
                    delivered += count;
                    if (overflowing && pending.isEmpty()) {
                        overflowing = false;
                        notices = drops;
                        drops = new LinkedHashMap<>();
                    }
                    progress.signalAll();
                } finally {
                    lock.unlock();
                }
                if (notices != null) {
                    long noticed = 0;
                    for (Map.Entry<String, Drops> entry : notices.entrySet()) {
                        Drops drop = entry.getValue();
                        deliver(notice(entry.getKey(), drop), failures);
                        noticed += drop.count;
                    }
                    endOfBatch();
                    lock.lock();
                    try {
                        noticedDrops += noticed;
                        progress.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() gave up on the queue; it counted and reported what was left
        } finally {
            failures.report();
            closeDelegate();
            lock.lock();
            try {
                if (!pending.isEmpty()) { // abandoned by close()
                    dropped.addAndGet(pending.size());
                    pending.clear();
                }
                state = State.CLOSED;
                threadEnded = true;
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private LogLine notice(String service, Drops drop) {
        String text = "[farm] " + drop.count + (drop.count == 1 ? " line" : " lines") + " dropped: " + delegate
                + " could not keep up";
        return new LogLine(service, LogLine.Stream.STDERR, text, drop.last);
    }

    private void deliver(LogLine line, Failures failures) {
        try {
            delegate.accept(line);
            failures.succeeded();
        } catch (RuntimeException e) {
            failures.failed(line, e);
        }
    }

    private void endOfBatch() {
        if (delegate instanceof BatchAware batchAware) {
            try {
                batchAware.endOfBatch();
            } catch (RuntimeException e) {
                LOG.warn("log sink {} failed at the end of a batch of lines", delegate, e);
            }
        }
    }

    private void closeDelegate() {
        if (ownsDelegate && delegate instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("log sink {} failed to close", delegate, e);
            }
        }
    }

    /** Lines of one service dropped since the queue last drained. */
    private static final class Drops {
        long count;
        Instant last = Instant.EPOCH;

        void add(Instant time) {
            count++;
            last = time;
        }
    }

    /** Logs the first failure of a run at WARN with its stack trace, and sums up the run when it ends. */
    private final class Failures {
        private long run;

        void failed(LogLine line, RuntimeException e) {
            run++;
            if (run == 1) {
                LOG.warn(
                        "log sink {} failed on a line of service '{}'; delivering the next lines",
                        delegate,
                        line.service(),
                        e);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "log sink {} failed again on a line of service '{}': {}",
                        delegate,
                        line.service(),
                        e.toString());
            }
        }

        void succeeded() {
            if (run > 0) {
                report();
            }
        }

        void report() {
            if (run > 1) {
                LOG.warn("log sink {} failed on {} lines in a row", delegate, run);
            }
            run = 0;
        }
    }
}
