package dev.farm.process;

import org.jspecify.annotations.Nullable;

/**
 * Something went wrong supervising processes; the root of farm-process's exceptions.
 *
 * @since 0.1
 */
public class ProcessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     * @param cause the underlying failure, if any
     */
    public ProcessException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
