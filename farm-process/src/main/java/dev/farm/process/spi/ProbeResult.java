package dev.farm.process.spi;

import java.util.Objects;

/**
 * The outcome of one {@link HealthProbe#check()}.
 *
 * @param passed whether the service answered as expected
 * @param detail why it did not ({@code connection refused}, {@code HTTP 503}); empty when it passed
 * @param listening false when nothing listened yet (the connection was refused): trying again costs the service
 *     nothing, so the supervisor tries again within milliseconds instead of backing off
 * @since 0.1
 */
public record ProbeResult(boolean passed, String detail, boolean listening) {

    private static final ProbeResult PASSED = new ProbeResult(true, "", true);

    /**
     * Validates the components.
     *
     * @param passed whether the service answered as expected
     * @param detail why it did not; empty when it passed
     * @param listening false when nothing listened yet
     */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Creates a result of an attempt that reached the service, or that could not tell.
     *
     * @param passed whether the service answered as expected
     * @param detail why it did not; empty when it passed
     */
    public ProbeResult(boolean passed, String detail) {
        this(passed, detail, true);
    }

    /**
     * Returns a passing result.
     *
     * @return the result
     */
    public static ProbeResult pass() {
        return PASSED;
    }

    /**
     * Returns a failing result.
     *
     * @param reason why the attempt failed, as a short phrase such as {@code HTTP 503}
     * @return the result
     */
    public static ProbeResult fail(String reason) {
        return new ProbeResult(false, reason, true);
    }

    /**
     * Returns the result of an attempt that found nothing listening: the connection was refused at once.
     *
     * @param reason a short phrase, usually {@code connection refused}
     * @return the result
     */
    public static ProbeResult notListening(String reason) {
        return new ProbeResult(false, reason, false);
    }
}
