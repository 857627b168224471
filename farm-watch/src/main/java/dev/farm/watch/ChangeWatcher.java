package dev.farm.watch;

import dev.farm.watch.internal.DefaultChangeWatcher;
import dev.farm.watch.internal.WatchServiceFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Watches a project's folders and delivers what changed as {@link ChangeBatch}es: matched against each rule's globs,
 * debounced (a quiet window, then a maximum wait), held while {@code .git/index.lock} exists, and only when the content
 * of a matched file really changed (so {@code touch}, identical saves and farm's own writes do nothing).
 *
 * <pre>{@code
 * try (ChangeWatcher watcher = ChangeWatcher.builder(project)
 *         .rule(new WatchRule("api", project, List.of("apps/api/src/**}{@code /*.py"), List.of()))
 *         .build()) {
 *     watcher.start(batch -> supervisor.restart("api"));
 *     ...
 * }
 * }</pre>
 *
 * <p>Ignored folders ({@link #DEFAULT_IGNORES} and the project's {@code .gitignore}) are never registered, so they cost
 * no inotify watch. Each rule's listener call is single-flight: while it runs, further changes of that rule are merged
 * into one pending batch, delivered when it returns. A rule in which the same file changes in more than {@code loopRuns}
 * deliveries within {@code loopWindow} (an action whose own writes trigger it) is paused and {@link Listener#paused}
 * says which paths kept changing (many different files changing, as in a save-all, is no loop); a later change outside the loop resumes it, and so does any change after a whole {@code loopWindow} without
 * one (the loop has died down, so it is someone's edit).
 *
 * <p>Implementations are thread-safe; {@link #close()} works from any thread, more than once.
 *
 * @since 0.1
 */
public interface ChangeWatcher extends AutoCloseable {

    /** Folders never watched: version control, dependencies, caches, build output and farm's own folder. */
    List<String> DEFAULT_IGNORES = List.of(
            ".git",
            "node_modules",
            "__pycache__",
            ".venv",
            "venv",
            "target",
            "dist",
            "build",
            ".farm",
            ".mypy_cache",
            ".pytest_cache",
            ".ruff_cache",
            ".turbo",
            ".vite",
            "coverage");

    /** The default quiet window: a batch is delivered once no change came for this long. */
    Duration DEFAULT_QUIET = Duration.ofMillis(100);

    /** The default maximum wait: a batch is delivered at the latest this long after its first change. */
    Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);

    /**
     * Starts a builder for the default watcher (io.methvin's directory-watcher, or polling).
     *
     * @param root the project folder: the folder watched, and where {@code .gitignore} and {@code .git} are
     * @return the builder
     */
    static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * Registers every folder and returns once changes are being seen.
     *
     * <p>It also records what each matched file is now (a stat per file) and hashes their contents in the background,
     * waiting up to half a second for that; a file whose hash is not taken yet when it changes counts as changed.
     * When the operating system's events are not available (the inotify watch or instance limit is reached, or no
     * watch service can be created), the watcher logs a WARN naming the limit (for example {@code
     * fs.inotify.max_user_watches}) and the fix, and polls instead; {@link #polling()} then says so.
     *
     * @param listener receives batches, on watcher threads; an exception it throws is logged and the watcher goes on
     * @throws WatchException when watching cannot start at all, for example because the folder does not exist
     * @throws IllegalStateException when started before, or closed
     */
    void start(Listener listener);

    /**
     * Records that farm itself just wrote a file (codegen output), so the write triggers nothing: the file's new
     * content becomes what later changes are compared with. Call it right after the write, within the quiet window.
     * Before {@link #start} it does nothing (start takes every file as it is).
     *
     * @param file the file, absolute
     * @throws IllegalStateException when closed
     */
    void wrote(Path file);

    /**
     * Tells whether the watcher polls instead of receiving events from the operating system.
     *
     * @return true when polling
     */
    boolean polling();

    /** Stops watching and releases every watch; calling it again does nothing. */
    @Override
    void close();

    /**
     * Receives what the watcher finds.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Listener {

        /**
         * Takes one rule's batch. Called on the rule's own watcher thread, never twice at once for the same rule;
         * calls for different rules may overlap, so a slow action delays no other rule. What changes while a call
         * runs is merged into one batch, delivered when it returns.
         *
         * @param batch what changed, never empty
         */
        void changed(ChangeBatch batch);

        /**
         * A rule was paused because it kept firing: its own action probably writes its inputs. Called once per pause,
         * on the rule's thread.
         *
         * @param rule the rule's name
         * @param paths the paths that kept changing
         */
        default void paused(String rule, Set<Path> paths) {}
    }

    /**
     * Configures a watcher. Every setter returns this builder; {@link #build()} starts nothing.
     *
     * @since 0.1
     */
    final class Builder {
        final Path root;
        final List<WatchRule> rules = new ArrayList<>();
        final List<String> ignores = new ArrayList<>(DEFAULT_IGNORES);
        boolean gitignore = true;
        Duration quiet = DEFAULT_QUIET;
        Duration maxWait = DEFAULT_MAX_WAIT;
        boolean polling;
        Duration pollInterval = Duration.ofSeconds(1);
        int loopRuns = 10;
        Duration loopWindow = Duration.ofSeconds(10);
        Clock clock = Clock.systemUTC();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        }

        /**
         * Adds a rule.
         *
         * @param rule the rule
         * @return this builder
         * @throws IllegalArgumentException when a rule of that name was added already
         */
        public Builder rule(WatchRule rule) {
            if (rules.stream().anyMatch(r -> r.name().equals(rule.name()))) {
                throw new IllegalArgumentException("rule: " + rule.name() + " (already added)");
            }
            rules.add(rule);
            return this;
        }

        /**
         * Adds folder or file names (or gitignore-style globs) never watched, on top of {@link #DEFAULT_IGNORES}.
         *
         * @param globs the names or globs
         * @return this builder
         */
        public Builder ignore(List<String> globs) {
            ignores.addAll(globs);
            return this;
        }

        /**
         * Sets whether the project's {@code .gitignore} files add ignores (default true).
         *
         * @param use whether to read them
         * @return this builder
         */
        public Builder gitignore(boolean use) {
            this.gitignore = use;
            return this;
        }

        /**
         * Sets the quiet window and the maximum wait of the debounce.
         *
         * @param quiet how long no change must come before a batch is delivered; zero delivers at once
         * @param maxWait how long after its first change a batch is delivered at the latest
         * @return this builder
         */
        public Builder debounce(Duration quiet, Duration maxWait) {
            if (quiet.isNegative() || maxWait.compareTo(quiet) < 0) {
                throw new IllegalArgumentException(
                        "debounce: " + quiet + ", " + maxWait + " (expected: 0 <= quiet <= maxWait)");
            }
            this.quiet = quiet;
            this.maxWait = maxWait;
            return this;
        }

        /**
         * Polls instead of using the operating system's events: for network and virtual file systems (WSL2 on a
         * Windows drive, some containers) where events never come. The watcher also falls back to polling by itself
         * when the watch service cannot be created.
         *
         * @param interval how often to scan
         * @return this builder
         */
        public Builder polling(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
            }
            this.polling = true;
            this.pollInterval = interval;
            return this;
        }

        /**
         * Sets when a rule counts as a feedback loop: one file in more than {@code runs} deliveries within {@code
         * window}.
         *
         * @param runs at least 1
         * @param window a positive duration
         * @return this builder
         */
        public Builder feedbackLoop(int runs, Duration window) {
            if (runs < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException(
                        "feedbackLoop: " + runs + " in " + window + " (expected: >= 1 in > 0)");
            }
            this.loopRuns = runs;
            this.loopWindow = window;
            return this;
        }

        /**
         * Sets the clock for the debounce and the loop detection; the default is the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the watcher; nothing is watched until {@link ChangeWatcher#start(Listener)}.
         *
         * @return the watcher
         * @throws IllegalArgumentException when no rule was added
         */
        public ChangeWatcher build() {
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("rules: none (expected: at least one rule)");
            }
            return new DefaultChangeWatcher(new DefaultChangeWatcher.Settings(
                    root,
                    rules,
                    ignores,
                    gitignore,
                    quiet,
                    maxWait,
                    polling,
                    pollInterval,
                    loopRuns,
                    loopWindow,
                    clock,
                    WatchServiceFactory.DEFAULT));
        }
    }
}
