package dev.farm.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code depends_on}: the condition the dependency must reach.
 *
 * @param condition the condition
 * @param logPattern the regular expression of a {@link DependencyCondition#LOG} condition, present exactly then
 * @since 0.1
 */
public record Dependency(DependencyCondition condition, Optional<String> logPattern) {

    /**
     * Checks that a pattern is present exactly for {@link DependencyCondition#LOG}.
     *
     * @param condition the condition
     * @param logPattern the regular expression of a {@link DependencyCondition#LOG} condition, present exactly then
     */
    public Dependency {
        Objects.requireNonNull(condition, "condition");
        if (logPattern.isPresent() != (condition == DependencyCondition.LOG)) {
            throw new IllegalArgumentException("logPattern: " + logPattern + " (expected: present only for LOG)");
        }
    }

    /**
     * Returns a dependency on a condition that takes no pattern.
     *
     * @param condition any condition but {@link DependencyCondition#LOG}
     * @return the dependency
     */
    public static Dependency on(DependencyCondition condition) {
        return new Dependency(condition, Optional.empty());
    }
}
