package dev.farm.testkit.kits;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs a kit against a deliberately broken implementation, through the JUnit Platform launcher, as an IDE would. */
final class KitRuns {

    /**
     * Set while {@link #run} runs a case, so that the {@code *Case} classes skip when a build or an IDE picks them up
     * on their own (surefire and failsafe do not, but {@code -Dtest=...} patterns and IDEs may).
     */
    static final String RUNNING_CASE = "farm.testkit.kits.runningCase";

    private KitRuns() {}

    /** What running a case gave. */
    record Run(TestExecutionSummary summary) {

        /** The names of the kit's test methods that failed, in the order they failed. */
        List<String> failed() {
            return summary.getFailures().stream()
                    .map(failure -> failure.getTestIdentifier().getSource())
                    .flatMap(Optional::stream)
                    .filter(MethodSource.class::isInstance)
                    .map(source -> ((MethodSource) source).getMethodName())
                    .collect(Collectors.toList());
        }

        /** What a failed test method threw. */
        Throwable failure(String method) {
            return summary.getFailures().stream()
                    .filter(failure -> failure.getTestIdentifier()
                            .getSource()
                            .map(KitRuns::methodName)
                            .filter(method::equals)
                            .isPresent())
                    .map(TestExecutionSummary.Failure::getException)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(method + " did not fail; failures: " + failed()));
        }
    }

    private static String methodName(TestSource source) {
        return source instanceof MethodSource method ? method.getMethodName() : "";
    }

    /**
     * Runs a case class: all its tests, or only the named (inherited) test methods.
     *
     * @param caseClass a static nested class that extends a kit
     * @param methods the test methods to run; none for all
     */
    static Run run(Class<?> caseClass, String... methods) {
        List<DiscoverySelector> selectors = methods.length == 0
                ? List.of(DiscoverySelectors.selectClass(caseClass))
                : Arrays.stream(methods)
                        .map(method -> DiscoverySelectors.selectMethod(caseClass, method))
                        .collect(Collectors.toList());
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setProperty(RUNNING_CASE, caseClass.getName());
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectors)
                                    .build(),
                            listener);
        } finally {
            System.clearProperty(RUNNING_CASE);
        }
        return new Run(listener.getSummary());
    }
}
