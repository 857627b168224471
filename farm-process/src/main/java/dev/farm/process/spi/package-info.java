/**
 * What plug-ins implement for the supervisor: {@link dev.farm.process.spi.HealthProbe} (is a service ready?) and
 * {@link dev.farm.process.spi.LogSink} (where its output lines go).
 */
@NullMarked
package dev.farm.process.spi;

import org.jspecify.annotations.NullMarked;
