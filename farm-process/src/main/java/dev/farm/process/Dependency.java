package dev.farm.process;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a service waits for from one of its dependencies.
 *
 * @param condition what the dependency must reach
 * @param logLine for {@link DependencyCondition#LOG_LINE}, the regular expression a line of the dependency's output must
 *     match (found anywhere in the line); empty otherwise
 * @since 0.1
 */
public record Dependency(DependencyCondition condition, Optional<String> logLine) {

    /**
     * Validates the components.
     *
     * @param condition what the dependency must reach
     * @param logLine the regular expression, present exactly for {@link DependencyCondition#LOG_LINE}
     * @throws java.util.regex.PatternSyntaxException when the expression is invalid
     */
    public Dependency {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(logLine, "logLine");
        if (logLine.isPresent() != (condition == DependencyCondition.LOG_LINE)) {
            throw new IllegalArgumentException(
                    "logLine: " + logLine + " (expected: a regular expression exactly for LOG_LINE)");
        }
        logLine.ifPresent(Pattern::compile);
    }

    /**
     * Waits for a condition that needs no pattern.
     *
     * @param condition anything but {@link DependencyCondition#LOG_LINE}
     * @return the dependency
     */
    public static Dependency on(DependencyCondition condition) {
        return new Dependency(condition, Optional.empty());
    }

    /**
     * Waits for a line of the dependency's output to match.
     *
     * @param regex a Java regular expression
     * @return the dependency
     */
    public static Dependency logLine(String regex) {
        return new Dependency(DependencyCondition.LOG_LINE, Optional.of(regex));
    }
}
