package dev.farm.process;

/**
 * What a dependency must reach before its dependent starts.
 *
 * @since 0.1
 */
public enum DependencyCondition {
    /** The dependency's process is running. */
    STARTED,
    /** The dependency's readiness probe has passed, or it is running and has no probe. */
    READY,
    /** The dependency has exited, with any exit code: a one-shot task whose outcome does not matter. */
    COMPLETED,
    /** The dependency has exited with one of its success exit codes: a one-shot task such as a migration. */
    SUCCEEDED,
    /** A line of the dependency's output has matched a regular expression (see {@link Dependency#logLine(String)}). */
    LOG_LINE
}
