/**
 * OpenAPI to TypeScript code generation (not implemented yet; see the module README). This package will hold {@code
 * OpenApiSource}, {@code TypeScriptGenerator} and {@code CodegenResult}.
 */
@NullMarked
package dev.farm.codegen;

import org.jspecify.annotations.NullMarked;
