/**
 * Test support for stacks run by farm: {@link dev.farm.testkit.FarmStack} runs a stack for a JUnit 5 test class and
 * hands tests a {@link dev.farm.testkit.FarmStackHandle}, {@link dev.farm.testkit.FarmAssertions} checks its services,
 * and {@link dev.farm.testkit.ServiceEventRecorder} records what a supervisor publishes. The module also brings
 * {@link dev.farm.testkit.fixture.FixtureProcess} (from farm-testkit-fixture), the stand-in for any service.
 */
@NullMarked
package dev.farm.testkit;

import org.jspecify.annotations.NullMarked;
