package dev.farm.codegen;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link TypeScriptGenerator} produced.
 *
 * @param source the TypeScript source, ready to write to a {@code .ts} file
 * @param warnings what was translated approximately, each naming its place in the document
 * @since 0.1
 */
public record CodegenResult(String source, List<Diagnostic> warnings) {

    /**
     * Validates the components and copies the list.
     *
     * @param source the TypeScript source, ready to write to a {@code .ts} file
     * @param warnings what was translated approximately, each naming its place in the document
     */
    public CodegenResult {
        Objects.requireNonNull(source, "source");
        warnings = List.copyOf(warnings);
    }
}
