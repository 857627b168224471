package dev.farm.codegen;

import java.util.Objects;

/**
 * One problem found in an OpenAPI document or while reading it: where, and what went wrong and what to do.
 *
 * @param origin the document: a file path, a URL or a command line
 * @param pointer the JSON pointer of the place in the document ({@code /paths/~1pets/get}), empty for the whole
 *     document or when the place is not known
 * @param message what went wrong, what was expected versus found, and what to do
 * @since 0.1
 */
public record Diagnostic(String origin, String pointer, String message) {

    /**
     * Validates the components.
     *
     * @param origin the document
     * @param pointer the JSON pointer, possibly empty
     * @param message the message
     */
    public Diagnostic {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Returns the diagnostic the way compilers print one: {@code ORIGIN#POINTER: MESSAGE}.
     *
     * @return the one-line form, never {@code null}
     */
    @Override
    public String toString() {
        return pointer.isEmpty() ? origin + ": " + message : origin + "#" + pointer + ": " + message;
    }
}
