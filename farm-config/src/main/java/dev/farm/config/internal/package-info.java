/**
 * How farm-config reads files: a YAML tree that remembers where every key and value stands, and the reader that binds
 * it to the configuration records while collecting every problem, and the FARM {@code farm.config.js} reader that
 * evaluates the file with Node.js and expands it into the same tree. Not API; may change in any release.
 */
@NullMarked
package dev.farm.config.internal;

import org.jspecify.annotations.NullMarked;
