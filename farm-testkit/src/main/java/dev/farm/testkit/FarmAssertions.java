package dev.farm.testkit;

/**
 * AssertJ entry points for farm types: {@code assertThat(stack.service("api")).isReady().logContains("listening")}.
 *
 * <p>Import {@code FarmAssertions.assertThat} statically next to AssertJ's {@code Assertions.assertThat}; Java picks
 * the overload by argument type.
 *
 * @since 0.1
 */
public final class FarmAssertions {

    private FarmAssertions() {}

    /**
     * Starts assertions on one service of a running stack.
     *
     * @param actual the service
     * @return the assertions, never {@code null}
     */
    public static ServiceHandleAssert assertThat(ServiceHandle actual) {
        return new ServiceHandleAssert(actual);
    }
}
