/**
 * farm-testkit's JUnit extension classes and what they run; may change in any release. Use
 * {@link dev.farm.testkit.FarmStack} or {@link dev.farm.testkit.FarmStacks} instead.
 */
@NullMarked
package dev.farm.testkit.internal;

import org.jspecify.annotations.NullMarked;
