package dev.farm.process.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process farm started for a service: its pid, when it started, the readers of its output, and its exit. A
 * restarted service gets a new incarnation; an incarnation is never reused.
 */
final class Incarnation {

    private static final Logger LOG = LoggerFactory.getLogger(Incarnation.class);

    final int number;
    final Process process;
    final Instant started;
    /** Whether the process leads its own process group (and session), whose id is its pid. */
    final boolean groupLeader;

    final List<OutputPump> pumps = new ArrayList<>();
    /** Set once the group was seen empty after its leader ended: its id may now belong to someone else. */
    volatile boolean groupGone;

    Incarnation(int number, Process process, Instant started, boolean groupLeader) {
        this.number = number;
        this.process = process;
        this.started = started;
        this.groupLeader = groupLeader;
    }

    long pid() {
        return process.pid();
    }

    /** The exit code, or null while the process runs. */
    @Nullable
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /**
     * Waits, at most {@code limit}, until every output stream has ended and its lines were handed over; a child that
     * keeps the pipe open after its parent exited goes on being read afterwards.
     */
    void awaitOutput(Duration limit) {
        try {
            CompletableFuture.allOf(pumps.stream().map(OutputPump::done).toArray(CompletableFuture<?>[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("pid {}: output still open {} after exit; a child may hold it", pid(), limit);
        } catch (ExecutionException e) {
            LOG.debug("pid {}: output reader failed: {}", pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tells whether nothing of the incarnation's process group is left, where groups are used. */
    boolean groupEmpty() {
        return !groupLeader || groupGone || ProcessTree.groupMembers(pid()).isEmpty();
    }
}
