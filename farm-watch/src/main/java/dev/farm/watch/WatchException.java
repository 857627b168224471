package dev.farm.watch;

import org.jspecify.annotations.Nullable;

/**
 * Watching could not start or go on; the message says what went wrong, where, and what to do.
 *
 * @since 0.1
 */
public class WatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     * @param cause the underlying failure, if any
     */
    public WatchException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
