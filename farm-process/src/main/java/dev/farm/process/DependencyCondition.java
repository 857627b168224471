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
    READY
}
