package dev.farm.watch.internal;

import java.time.Duration;

/** Durations as people write them in messages: {@code 100ms}, {@code 1s}, {@code 1.5s}, {@code 30s}. */
final class Durations {

    private Durations() {}

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        long tenths = millis / 100;
        return tenths / 10 + "." + tenths % 10 + "s";
    }
}
