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
    /** The dependency's {@code ready} probe has passed (or it has started, when it has none). */
    READY,
    /** The dependency has exited, with any exit code. */
    COMPLETED,
    /** The dependency has exited with one of its {@code success_exit_codes}. */
    SUCCEEDED,
    /** The dependency has printed a line matching a pattern ({@code { log: REGEX }}). */
    LOG;

    /**
     * Returns the word used in {@code farm.yaml}.
     *
     * @return such as {@code started} or {@code ready}
     */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
