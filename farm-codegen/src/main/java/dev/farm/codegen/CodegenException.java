package dev.farm.codegen;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document could not be read or turned into TypeScript; {@link #diagnostic()} says where and what to do.
 *
 * @since 0.1
 */
public class CodegenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;

    /**
     * Creates the exception.
     *
     * @param diagnostic where and what went wrong
     * @param cause the underlying failure, if any
     */
    public CodegenException(Diagnostic diagnostic, @Nullable Throwable cause) {
        super(diagnostic.toString(), cause);
        this.diagnostic = Objects.requireNonNull(diagnostic, "diagnostic");
    }

    /**
     * Returns where and what went wrong.
     *
     * @return the diagnostic, never {@code null}
     */
    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
