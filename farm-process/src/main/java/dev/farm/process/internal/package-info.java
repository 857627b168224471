/**
 * The default supervisor, its probes and the platform code that finds and signals process trees. Not API; may change
 * in any release.
 */
@NullMarked
package dev.farm.process.internal;

import org.jspecify.annotations.NullMarked;
