/**
 * How farm-config reads files: a YAML tree that remembers where every key and value stands, the reader that binds it
 * to the configuration records while collecting every problem, and the parsers for env files and Procfiles. Not API;
 * may change in any release.
 */
@NullMarked
package dev.farm.config.internal;

import org.jspecify.annotations.NullMarked;
