/**
 * OpenAPI to TypeScript: read a document from an {@link dev.farm.codegen.OpenApiSource}, turn it into one {@code .ts}
 * file with a {@link dev.farm.codegen.TypeScriptGenerator}, and write it only when it changed with
 * {@link dev.farm.codegen.GeneratedFile}; {@link dev.farm.codegen.Codegen#run} does all three and never throws.
 */
@NullMarked
package dev.farm.codegen;

import org.jspecify.annotations.NullMarked;
