package dev.farm.codegen.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.farm.codegen.CodegenOptions;
import dev.farm.codegen.CodegenResult;
import dev.farm.codegen.OpenApiText;
import dev.farm.codegen.TypeScriptGenerator;
import java.util.Objects;

/** The built-in generator: Jackson tree in, one TypeScript file out. */
public final class DefaultTypeScriptGenerator implements TypeScriptGenerator {

    private final CodegenOptions options;

    /**
     * Creates the generator.
     *
     * @param options what to emit
     */
    public DefaultTypeScriptGenerator(CodegenOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public CodegenResult generate(OpenApiText document) {
        TsEmitter emitter = emitter(document, options);
        String source = emitter.generate();
        return new CodegenResult(source, emitter.warnings());
    }

    static TsEmitter emitter(OpenApiText document, CodegenOptions options) {
        JsonNode root = Documents.parse(document.text(), document.origin());
        Documents docs = new Documents(document.base(), document.origin(), root);
        return new TsEmitter(docs, document.origin(), !options.typesOnly());
    }
}
