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

    /** @param file the main file: problems about the whole configuration name it */
    Problems(Path file) {
        this.file = file;
    }

    void add(Mark mark, String path, String message) {
        problems.add(new ConfigProblem(mark.file(), mark.line(), mark.column(), path, message));
    }

    void addForFile(String message) {
        problems.add(new ConfigProblem(file, 0, 0, "", message));
    }

    void addAll(List<ConfigProblem> more) {
        problems.addAll(more);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    /** Throws a {@link ConfigException} listing every problem, the main file's first, each file's in line order. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(sorted(), null);
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
