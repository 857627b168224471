package dev.farm.config;

import java.util.Locale;

/**
 * How farm runs a service ({@code kind}).
 *
 * @since 0.1
 */
public enum ServiceKind {
    /** A process farm starts, watches and stops ({@code command}). */
    PROCESS,
    /** Started by a command that exits ({@code start}) and stopped by another ({@code stop}); a probe says if it lives. */
    DAEMON,
    /** Runs outside farm; farm only probes it. */
    EXTERNAL;

    /**
     * Returns the word used in {@code farm.yaml}.
     *
     * @return such as {@code process}
     */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
