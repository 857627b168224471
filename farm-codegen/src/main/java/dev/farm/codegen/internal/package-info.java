/**
 * The built-in sources, the document loader and {@code $ref} resolver, and the TypeScript emitter; not API, may change
 * in any release.
 */
@NullMarked
package dev.farm.codegen.internal;

import org.jspecify.annotations.NullMarked;
