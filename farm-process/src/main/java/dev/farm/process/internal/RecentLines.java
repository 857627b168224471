package dev.farm.process.internal;

import dev.farm.process.LogLine;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Collectors;

/** The most recent output lines of one service, bounded in number; thread-safe. */
final class RecentLines {

    private final int capacity;
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();

    RecentLines(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(LogLine line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<LogLine> all() {
        return List.copyOf(lines);
    }

    synchronized List<String> texts() {
        return lines.stream().map(LogLine::text).collect(Collectors.toList());
    }
}
