/**
 * The farm configuration: {@link dev.farm.config.ConfigSource} reads a project's {@code farm.yaml} into the immutable
 * {@link dev.farm.config.FarmConfig} records, and every mistake in it becomes a {@link dev.farm.config.ConfigException}
 * that names the file, line, column and key path.
 */
@NullMarked
package dev.farm.config;

import org.jspecify.annotations.NullMarked;
