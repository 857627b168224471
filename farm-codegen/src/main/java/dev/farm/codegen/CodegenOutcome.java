package dev.farm.codegen;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link Codegen#run} did.
 *
 * @param status whether the output file changed, stayed as it was, or the run failed
 * @param out the output file
 * @param diagnostic why the run failed; {@code null} unless {@code status} is {@link Status#FAILED}
 * @param duration how long the run took, reading the document included
 * @param warnings what was translated approximately
 * @since 0.1
 */
public record CodegenOutcome(
        Status status,
        java.nio.file.Path out,
        @Nullable Diagnostic diagnostic,
        Duration duration,
        List<Diagnostic> warnings) {

    /**
     * Validates the components and copies the list.
     *
     * @param status the status
     * @param out the output file
     * @param diagnostic the failure, or {@code null}
     * @param duration the duration
     * @param warnings the warnings
     */
    public CodegenOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(duration, "duration");
        warnings = List.copyOf(warnings);
        if ((status == Status.FAILED) != (diagnostic != null)) {
            throw new IllegalArgumentException("diagnostic: expected one exactly when the status is FAILED, status "
                    + status + ", diagnostic " + diagnostic);
        }
    }

    /**
     * Returns why the run failed.
     *
     * @return the diagnostic, empty unless the run failed
     */
    public Optional<Diagnostic> failure() {
        return Optional.ofNullable(diagnostic);
    }

    /**
     * Returns the outcome as one line for a log: {@code changed apps/web/src/api.ts in 84 ms}.
     *
     * @return the summary, never {@code null}
     */
    public String summary() {
        long millis = duration.toMillis();
        return switch (status) {
            case CHANGED -> "wrote " + out + " in " + millis + " ms";
            case UNCHANGED -> out + " is up to date (" + millis + " ms)";
            case FAILED -> "failed after " + millis + " ms, " + out + " left as it was: " + diagnostic;
        };
    }

    /**
     * What a run did to its output file.
     *
     * @since 0.1
     */
    public enum Status {
        /** The output file was written with new content. */
        CHANGED,
        /** The output file already held the generated content and was not touched. */
        UNCHANGED,
        /** The document could not be read or translated; the output file was not touched. */
        FAILED
    }
}
