package dev.farm.config;

import java.util.Locale;

/**
 * What a dependency must reach before its dependent starts: a value in {@code depends_on: { NAME: CONDITION }}.
 *
 * @since 0.1
 */
public enum DependencyCondition {
    /** The dependency's process has been started. */
    STARTED,
    /** The dependency's {@code ready} check has passed (or it has started, when it has no check). */
    READY;

    /**
     * Returns the word used in {@code farm.yaml}.
     *
     * @return {@code started} or {@code ready}
     */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
