package dev.farm.proxy;

/**
 * Why a {@link ProxyServer} could not start, for example because its port is taken. The message names the address
 * and what to do.
 *
 * @since 0.1
 */
public class ProxyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, where, and what to do
     * @param cause the underlying failure
     */
    public ProxyException(String message, Throwable cause) {
        super(message, cause);
    }
}
