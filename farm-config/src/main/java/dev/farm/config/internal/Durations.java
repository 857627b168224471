package dev.farm.config.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1m30s}. */
final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param text such as {@code 30s}
     * @return the duration, or empty when the text is not one
     */
    static Optional<Duration> parse(String text) {
        String trimmed = text.trim();
        if (!WHOLE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        try {
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = switch (part.group(2)) {
                    case "ms" -> total.plusMillis(amount);
                    case "s" -> total.plusSeconds(amount);
                    case "m" -> total.plusMinutes(amount);
                    default -> total.plusHours(amount);
                };
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(total);
    }

    /**
     * Formats a duration the way {@link #parse} reads it, in the largest exact unit: {@code 30s}, {@code 250ms}.
     *
     * @param duration a non-negative duration
     * @return the text
     */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
