package dev.farm.codegen;

import java.net.URI;
import java.util.Objects;

/**
 * The text of an OpenAPI document as a source delivered it, before parsing.
 *
 * @param text the document, JSON or YAML
 * @param base the URI that relative external {@code $ref}s resolve against ({@code file:} URIs load sibling files)
 * @param origin how the document is named in diagnostics: a path, a URL or a command line
 * @since 0.1
 */
public record OpenApiText(String text, URI base, String origin) {

    /**
     * Validates the components.
     *
     * @param text the document
     * @param base the base URI
     * @param origin the name for diagnostics
     */
    public OpenApiText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(origin, "origin");
    }
}
