/**
 * Test support for stacks run by farm: {@link dev.farm.testkit.ServiceEventRecorder} records what a supervisor
 * publishes and waits for a state, and the module brings {@link dev.farm.testkit.fixture.FixtureProcess} (from
 * farm-testkit-fixture) as the stand-in for any service. The {@code @FarmStack} JUnit 5 extension, {@code
 * FarmAssertions}, {@code OllamaStub} and the compatibility kits of farm's SPIs will live here too.
 */
@NullMarked
package dev.farm.testkit;

import org.jspecify.annotations.NullMarked;
