package dev.farm.process.spi;

import java.util.Objects;

/**
 * The outcome of one {@link HealthProbe#check()}.
 *
 * @param passed whether the service answered as expected
 * @param detail why it did not ({@code connection refused}, {@code HTTP 503}); empty when it passed
 * @since 0.1
 */
public record ProbeResult(boolean passed, String detail) {

    private static final ProbeResult PASSED = new ProbeResult(true, "");

    /**
     * Validates the components.
     *
     * @param passed whether the service answered as expected
     * @param detail why it did not ({@code connection refused}, {@code HTTP 503}); empty when it passed
     */
    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
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
     * @param reason why the attempt failed, as a short phrase such as {@code connection refused}
     * @return the result
     */
    public static ProbeResult fail(String reason) {
        return new ProbeResult(false, reason);
    }
}
