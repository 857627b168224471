/**
 * Compatibility kits: one abstract JUnit 5 test class per farm SPI ({@link
 * dev.farm.testkit.kits.ProcessSupervisorCompatibilityKit}, {@link dev.farm.testkit.kits.ChangeWatcherCompatibilityKit},
 * {@link dev.farm.testkit.kits.RouteTableCompatibilityKit}, {@link dev.farm.testkit.kits.ConfigSourceCompatibilityKit}).
 * A test class extends one and implements its factory method; the kit's tests then check that implementation against
 * the contract farm relies on. farm's own default implementations pass them.
 */
@NullMarked
package dev.farm.testkit.kits;

import org.jspecify.annotations.NullMarked;
