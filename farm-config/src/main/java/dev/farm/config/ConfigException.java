package dev.farm.config;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used; it carries every problem found, not only the first.
 *
 * <p>The message is the problems' {@link ConfigProblem#toString()} forms, one per line, so it can be shown to the user
 * as it is.
 *
 * @since 0.1
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * Creates an exception for the given problems.
     *
     * @param problems at least one problem
     * @param cause what made the file unreadable, if anything
     */
    public ConfigException(List<ConfigProblem> problems, @Nullable Throwable cause) {
        super(render(problems), cause);
        this.problems = List.copyOf(problems);
    }

    /**
     * Creates an exception for one problem.
     *
     * @param problem the problem
     */
    public ConfigException(ConfigProblem problem) {
        this(List.of(problem), null);
    }

    /**
     * Returns every problem found, in file order.
     *
     * @return at least one problem, never {@code null}
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: empty (expected: at least one)");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
