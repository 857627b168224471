package dev.farm.process;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A service could not be started, or ended before it was ready.
 *
 * @since 0.1
 */
public class ServiceStartException extends ProcessException {

    private static final long serialVersionUID = 1L;

    /** The name of the service that failed. */
    private final String service;

    /** Its last output lines, oldest first. */
    private final List<String> lastLines;

    /**
     * Creates the exception.
     *
     * @param service the service's name
     * @param message what went wrong and what to do
     * @param lastLines the service's last output lines, oldest first; may be empty
     * @param cause the underlying failure, if any
     */
    public ServiceStartException(String service, String message, List<String> lastLines, @Nullable Throwable cause) {
        super(message, cause);
        this.service = service;
        this.lastLines = List.copyOf(lastLines);
    }

    /**
     * Returns the name of the service that failed.
     *
     * @return the name, never {@code null}
     */
    public String service() {
        return service;
    }

    /**
     * Returns the service's last output lines before the failure, oldest first.
     *
     * @return the lines, possibly empty, never {@code null}
     */
    public List<String> lastLines() {
        return lastLines;
    }
}
