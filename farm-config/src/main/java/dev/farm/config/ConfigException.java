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

    private final transient List<String> profiles;

    /**
     * Creates an exception for the given problems.
     *
     * @param problems at least one problem
     * @param cause what made the file unreadable, if anything
     */
    public ConfigException(List<ConfigProblem> problems, @Nullable Throwable cause) {
        this(problems, cause, List.of());
    }

    /**
     * Creates an exception for the given problems of a file that declares profiles.
     *
     * @param problems at least one problem
     * @param cause what made the file unreadable, if anything
     * @param profiles the profiles the file declares, so that a checker can try each of them
     */
    public ConfigException(List<ConfigProblem> problems, @Nullable Throwable cause, List<String> profiles) {
        super(render(problems), cause);
        this.problems = List.copyOf(problems);
        this.profiles = List.copyOf(profiles);
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

    /**
     * Returns the profiles the file declares, when it could be read that far.
     *
     * @return the profile names in file order, or an empty list
     */
    public List<String> profiles() {
        return profiles;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: empty (expected: at least one)");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
