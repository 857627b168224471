package dev.farm.codegen;

/**
 * Turns an OpenAPI document into TypeScript: one type per schema, and a typed fetch client when asked.
 *
 * <p>This is the API sketch; the generator comes with the farm-codegen issue.
 *
 * @since 0.1
 */
public interface TypeScriptGenerator {

    /**
     * Generates TypeScript from an OpenAPI 3.0 or 3.1 document.
     *
     * @param openApiJson the document, as JSON text
     * @return the generated source and what could not be translated exactly
     * @throws IllegalArgumentException when the text is not an OpenAPI document; the message says where
     */
    CodegenResult generate(String openApiJson);
}
