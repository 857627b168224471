package dev.farm.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a service's whole process tree uses right now: how many processes it has, their CPU and their memory.
 *
 * <p>A sample counts the processes alive when it is taken: the service's process, every member of its process group
 * or session and every descendant. A process that ended since the previous sample no longer counts.
 *
 * @param processes how many processes of the tree are alive; 0 once the service has none left
 * @param cpuTime the user plus system CPU time those processes have used since each of them started
 * @param cpuPercent the CPU the tree used between the previous sample of the same service and this one, in percent of
 *     one core (so a tree keeping two cores busy shows 200); 0 on the first sample
 * @param rssBytes the resident memory of those processes added up, in bytes; empty where the platform does not tell
 *     (everywhere but Linux) or when no process is left
 * @param sampledAt when the sample was taken, by the supervisor's clock
 * @since 0.1
 */
public record ServiceStats(
        int processes, Duration cpuTime, double cpuPercent, OptionalLong rssBytes, Instant sampledAt) {

    /**
     * Validates the components.
     *
     * @param processes how many processes of the tree are alive; at least 0
     * @param cpuTime the CPU time used; not negative
     * @param cpuPercent the CPU used since the previous sample, in percent of one core; finite and not negative
     * @param rssBytes the resident memory in bytes, not negative when present
     * @param sampledAt when the sample was taken
     */
    public ServiceStats {
        if (processes < 0) {
            throw new IllegalArgumentException("processes: " + processes + " (expected: >= 0)");
        }
        Objects.requireNonNull(cpuTime, "cpuTime");
        if (cpuTime.isNegative()) {
            throw new IllegalArgumentException("cpuTime: " + cpuTime + " (expected: >= 0)");
        }
        if (!(cpuPercent >= 0) || Double.isInfinite(cpuPercent)) {
            throw new IllegalArgumentException("cpuPercent: " + cpuPercent + " (expected: a finite number >= 0)");
        }
        Objects.requireNonNull(rssBytes, "rssBytes");
        if (rssBytes.isPresent() && rssBytes.getAsLong() < 0) {
            throw new IllegalArgumentException("rssBytes: " + rssBytes.getAsLong() + " (expected: >= 0)");
        }
        Objects.requireNonNull(sampledAt, "sampledAt");
    }
}
