package dev.farm.process.spi;

/**
 * Tells whether a service answers: one attempt per call.
 *
 * <p>The supervisor calls {@link #check()} from one of its own threads, again and again while a service starts (about
 * every 20 ms at first, backing off to every 250 ms), never twice at once for the same service; the supervisor owns the
 * schedule, the retries and the deadline. An implementation bounds each attempt by its own timeout and must be safe to
 * call from different threads one after another.
 *
 * @since 0.1
 */
public interface HealthProbe {

    /**
     * Makes one attempt.
     *
     * @return whether it passed and, if not, why; never {@code null}
     * @throws InterruptedException when the calling thread is interrupted, because the supervisor stops waiting
     */
    ProbeResult check() throws InterruptedException;

    /**
     * Describes what passing means, for messages: {@code GET http://127.0.0.1:8000/health should return 2xx or 3xx}.
     *
     * @return a short phrase, never {@code null}
     */
    String description();
}
