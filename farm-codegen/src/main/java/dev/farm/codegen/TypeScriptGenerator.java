package dev.farm.codegen;

import dev.farm.codegen.internal.DefaultTypeScriptGenerator;

/**
 * Turns an OpenAPI 3.0 or 3.1 document into one TypeScript file: a named type per component schema, a
 * {@code Schemas} map keyed by the original names, an {@code Operations} map, and (unless types only) one typed
 * {@code fetch} function per operation.
 *
 * <p>Generators hold no state between calls and may be called from many threads at once. The output is deterministic:
 * the same document gives the same text, byte for byte.
 *
 * @since 0.1
 */
public interface TypeScriptGenerator {

    /**
     * Creates the built-in generator.
     *
     * @param options what to emit
     * @return the generator, never {@code null}
     */
    static TypeScriptGenerator create(CodegenOptions options) {
        return new DefaultTypeScriptGenerator(options);
    }

    /**
     * Generates TypeScript from a document's text.
     *
     * @param document the document; relative external {@code $ref}s resolve against its base URI
     * @return the generated source and what could not be translated exactly, never {@code null}
     * @throws CodegenException when the text is not an OpenAPI 3 document or a {@code $ref} cannot be resolved; the
     *     diagnostic names the JSON pointer
     */
    CodegenResult generate(OpenApiText document);

    /**
     * Reads a document from a source and generates TypeScript from it.
     *
     * @param source where the document comes from
     * @return the generated source and its warnings, never {@code null}
     * @throws CodegenException when the document cannot be read or translated
     */
    default CodegenResult generate(OpenApiSource source) {
        return generate(source.read());
    }
}
