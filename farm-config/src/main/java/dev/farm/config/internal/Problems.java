package dev.farm.config.internal;

import dev.farm.config.ConfigException;
import dev.farm.config.ConfigProblem;
import dev.farm.config.internal.Node.Mark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one file, so the user sees all of them at once. */
final class Problems {

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(Mark mark, String path, String message) {
        problems.add(new ConfigProblem(file, mark.line(), mark.column(), path, message));
    }

    void addForFile(String message) {
        problems.add(new ConfigProblem(file, 0, 0, "", message));
    }

    /** Throws a {@link ConfigException} listing every problem in file order, if there is any. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(sorted, null);
        }
    }
}
