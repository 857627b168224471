/**
 * How farm-config reads configurations: each format's located tree (YAML, JSON, Procfile, the FARM
 * {@code farm.config.js} evaluated with Node.js), discovery, profiles and presets applied to that tree, and the binder
 * and resolver that turn it into the records while collecting every problem. Not API; may change in any release.
 */
@NullMarked
package dev.farm.config.internal;

import org.jspecify.annotations.NullMarked;
