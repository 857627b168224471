package dev.farm.testkit;

import dev.farm.testkit.fixture.FixtureProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Helpers for the extension's tests: fixture commands in farm.yaml, and running a test class in a fresh launcher. */
final class Stacks {

    /** Set while {@link #run} runs a case, so that the cases skip when a build or an IDE picks them up on their own. */
    static final String RUNNING_CASE = "farm.testkit.runningCase";

    private Stacks() {}

    /** A fixture's command as a YAML flow list, so farm runs it as it is. */
    static String yaml(FixtureProcess.Builder fixture) {
        return fixture.command().stream()
                .map(arg -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Writes {@code farm.yaml} into a directory and returns its path. */
    static Path write(Path directory, String yaml) throws IOException {
        return Files.writeString(directory.resolve("farm.yaml"), yaml);
    }

    /** What running a test class gave: its summary and what it printed to standard error. */
    record Run(TestExecutionSummary summary, String err) {}

    /**
     * Runs a test class through the JUnit Platform launcher, as an IDE would, capturing standard error. The classes it
     * runs are static nested {@code *Case} classes, which neither failsafe nor surefire pick up on their own.
     */
    static Run run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setProperty(RUNNING_CASE, testClass.getName());
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(DiscoverySelectors.selectClass(testClass))
                                    .build(),
                            listener);
        } finally {
            System.clearProperty(RUNNING_CASE);
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        original.print(err); // still shown in the build's output
        return new Run(listener.getSummary(), err);
    }
}
