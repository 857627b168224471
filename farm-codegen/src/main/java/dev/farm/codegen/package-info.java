/**
 * OpenAPI to TypeScript: {@link dev.farm.codegen.TypeScriptGenerator} and its {@link dev.farm.codegen.CodegenResult}.
 * This is the API sketch; the generator comes with the farm-codegen issue (see the module README).
 */
@NullMarked
package dev.farm.codegen;

import org.jspecify.annotations.NullMarked;
