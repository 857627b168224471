package dev.farm.process.internal;

import java.time.Duration;

/**
 * When to try a readiness probe again while a service starts: 20 ms after the first attempt, then half as long again
 * each time, up to 250 ms. Fast enough that a service is seen ready within a few tens of milliseconds of opening its
 * port, gentle enough that a slow start costs four attempts a second.
 */
final class ProbeSchedule {

    static final Duration FIRST = Duration.ofMillis(20);
    static final Duration MAX = Duration.ofMillis(250);

    private ProbeSchedule() {}

    /** The pause after the given failed attempt, counting from 0. */
    static Duration delayAfter(int attempt) {
        double millis = FIRST.toMillis() * Math.pow(1.5, Math.min(attempt, 32));
        return millis >= MAX.toMillis() ? MAX : Duration.ofMillis(Math.round(millis));
    }
}
