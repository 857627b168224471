package dev.farm.config.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.internal.Node.Mark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the problems of one configuration, across its files, so the user sees all of them at once. */
final class Problems {

    private final Path file;
    private final Set<ConfigProblem> problems = new LinkedHashSet<>();
    private int found;

    /** @param file the main file: problems about the whole configuration name it */
    Problems(Path file) {
        this.file = file;
    }

    void add(Mark mark, String path, String message) {
        found++;
        // One mistake in a value many services share (a project variable, a discover rule) is reported once.
        if (mark.line() > 0
                && problems.stream()
                        .anyMatch(p -> p.file().equals(mark.file())
                                && p.line() == mark.line()
                                && p.column() == mark.column()
                                && p.message().equals(message))) {
            return;
        }
        problems.add(new ConfigProblem(mark.file(), mark.line(), mark.column(), path, message));
    }

    void addForFile(String message) {
        found++;
        problems.add(new ConfigProblem(file, 0, 0, "", message));
    }

    void addAll(List<ConfigProblem> more) {
        found += more.size();
        problems.addAll(more);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Counts every problem found, those reported once for many services included, so a caller can tell whether its
     * own step found one.
     */
    int found() {
        return found;
    }

    /** Throws a {@link ConfigException} listing every problem, the main file's first, each file's in line order. */
    void throwIfAny() {
        throwIfAny(List.of());
    }

    /** Throws like {@link #throwIfAny()}, telling which profiles the file declares. */
    void throwIfAny(List<String> profiles) {
        if (!problems.isEmpty()) {
            throw new ConfigException(sorted(), null, profiles);
        }
    }

    List<ConfigProblem> sorted() {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((ConfigProblem p) -> !p.file().equals(file))
                .thenComparing(p -> p.file().toString())
                .thenComparingInt(ConfigProblem::line)
                .thenComparingInt(ConfigProblem::column));
        return sorted;
    }
}
