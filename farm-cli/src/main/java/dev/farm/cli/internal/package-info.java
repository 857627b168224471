/**
 * The picocli commands, terminal rendering, signal handling and the translation of configuration into supervisor
 * specs. Not API; may change in any release.
 */
@NullMarked
package dev.farm.cli.internal;

import org.jspecify.annotations.NullMarked;
