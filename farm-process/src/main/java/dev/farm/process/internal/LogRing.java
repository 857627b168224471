package dev.farm.process.internal;

import dev.farm.process.LogLine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The most recent lines of one service, for a UI or an error message: at most {@code capacity} lines and {@code
 * charBudget} characters of text; adding a line evicts the oldest ones until both limits hold again. A single line
 * longer than the budget is kept cut to the budget, ending in {@code …[truncated N chars]}.
 *
 * <p>Thread-safe. {@link #add(LogLine)} is O(1) under a short lock and allocates nothing unless it cuts a line, so the
 * threads reading the service's output can feed it directly.
 */
final class LogRing {

    static final int DEFAULT_CAPACITY = 1000;
    static final int DEFAULT_CHAR_BUDGET = 4 * 1024 * 1024;

    /** Room for the ellipsis, the words and a number of up to ten digits. */
    static final int MIN_CHAR_BUDGET = 64;

    private final LogLine[] lines;
    private final int charBudget;
    // Guarded by this.
    private int head; // index of the oldest line
    private int size;
    private long chars;
    private long total;

    /** Creates a ring of {@value #DEFAULT_CAPACITY} lines and 4 Mi characters. */
    LogRing() {
        this(DEFAULT_CAPACITY, DEFAULT_CHAR_BUDGET);
    }

    /**
     * Creates a ring.
     *
     * @param capacity the most lines it keeps, at least 1
     * @param charBudget the most characters of text it keeps, at least {@value #MIN_CHAR_BUDGET}
     */
    LogRing(int capacity, int charBudget) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        if (charBudget < MIN_CHAR_BUDGET) {
            throw new IllegalArgumentException("charBudget: " + charBudget + " (expected: >= " + MIN_CHAR_BUDGET + ")");
        }
        this.lines = new LogLine[capacity];
        this.charBudget = charBudget;
    }

    /**
     * Keeps a line, evicting the oldest ones as needed.
     *
     * @param line the line, never {@code null}
     */
    void add(LogLine line) {
        LogLine kept = line.text().length() > charBudget ? truncated(line) : line;
        int length = kept.text().length();
        synchronized (this) {
            total++;
            while (size > 0 && (size == lines.length || chars + length > charBudget)) {
                chars -= lines[head].text().length();
                lines[head] = null;
                head = next(head);
                size--;
            }
            lines[(head + size) % lines.length] = kept;
            size++;
            chars += length;
        }
    }

    /**
     * Returns the most recent lines, oldest first.
     *
     * @param n how many at most, not negative
     * @return a copy of the last {@code min(n, size)} lines, never {@code null}
     */
    List<LogLine> last(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
        }
        synchronized (this) {
            int count = Math.min(n, size);
            if (count == 0) {
                return List.of();
            }
            List<LogLine> copy = new ArrayList<>(count);
            for (int i = size - count; i < size; i++) {
                copy.add(lines[(head + i) % lines.length]);
            }
            return Collections.unmodifiableList(copy);
        }
    }

    /**
     * Returns every line kept, oldest first.
     *
     * @return a copy, never {@code null}
     */
    List<LogLine> all() {
        return last(Integer.MAX_VALUE);
    }

    /**
     * Returns how many lines were ever added, evicted ones included.
     *
     * @return the count
     */
    synchronized long total() {
        return total;
    }

    private int next(int index) {
        return index + 1 == lines.length ? 0 : index + 1;
    }

    private LogLine truncated(LogLine line) {
        String text = line.text();
        // The suffix counts the cut characters; size it for the longest count so the result never exceeds the budget.
        int suffix = suffix(text.length()).length();
        int keep = charBudget - suffix;
        if (Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        String cut = text.substring(0, keep) + suffix(text.length() - keep);
        return new LogLine(line.service(), line.stream(), cut, line.time());
    }

    private static String suffix(int cut) {
        return "\u2026[truncated " + cut + " chars]";
    }
}
