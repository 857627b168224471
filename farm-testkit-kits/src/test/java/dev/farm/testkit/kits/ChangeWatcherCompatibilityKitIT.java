package dev.farm.testkit.kits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farm.watch.ChangeBatch;
import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The watcher kit catches broken watchers: each case decorates farm's default watcher with one mistake and runs the
 * kit test that must notice it through the launcher.
 */
@Timeout(120)
class ChangeWatcherCompatibilityKitIT {

    @Test
    void aWatcherThatDropsDeletionsFailsTheDeletionTest() {
        KitRuns.Run run =
                KitRuns.run(DropsDeletionsCase.class, "aDeletedFileIsReportedAsDeleted", "aBurstOfWritesIsOneBatch");

        assertThat(run.failed()).containsExactly("aDeletedFileIsReportedAsDeleted");
        assertThat(run.failure("aDeletedFileIsReportedAsDeleted")).hasMessageContaining("old.py");
    }

    @Test
    void aWatcherThatDeliversEveryPathAloneFailsTheBurstTest() {
        KitRuns.Run run = KitRuns.run(OneBatchPerPathCase.class, "aBurstOfWritesIsOneBatch");

        assertThat(run.failed()).containsExactly("aBurstOfWritesIsOneBatch");
    }

    @Test
    void aWatcherThatIgnoresWroteFailsTheWroteTest() {
        KitRuns.Run run = KitRuns.run(IgnoresWroteCase.class, "aWriteFarmReportsWithWroteIsNotReported");

        assertThat(run.failed()).containsExactly("aWriteFarmReportsWithWroteIsNotReported");
        assertThat(run.failure("aWriteFarmReportsWithWroteIsNotReported")).hasMessageContaining("api.py");
    }

    /** farm's default watcher, with its batches passed through a function, and {@code wrote} optionally ignored. */
    private static final class Decorated implements ChangeWatcher {
        private final ChangeWatcher delegate;
        private final Function<ChangeBatch, List<ChangeBatch>> batches;
        private final boolean ignoreWrote;

        Decorated(
                Path root,
                List<WatchRule> rules,
                Function<ChangeBatch, List<ChangeBatch>> batches,
                boolean ignoreWrote) {
            ChangeWatcher.Builder builder = ChangeWatcher.builder(root);
            rules.forEach(builder::rule);
            this.delegate = builder.build();
            this.batches = batches;
            this.ignoreWrote = ignoreWrote;
        }

        @Override
        public void start(Listener listener) {
            delegate.start(batch -> batches.apply(batch).forEach(listener::changed));
        }

        @Override
        public void wrote(Path file) {
            if (!ignoreWrote) {
                delegate.wrote(file);
            }
        }

        @Override
        public boolean polling() {
            return delegate.polling();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Leaves deleted paths out of every batch, and batches left empty out altogether. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class DropsDeletionsCase extends ChangeWatcherCompatibilityKit {
        @Override
        protected ChangeWatcher watcher(Path root, List<WatchRule> rules) {
            return new Decorated(
                    root,
                    rules,
                    batch -> batch.created().isEmpty() && batch.modified().isEmpty()
                            ? List.of()
                            : List.of(new ChangeBatch(
                                    batch.rule(), batch.created(), batch.modified(), Set.of(), batch.rescan())),
                    false);
        }

        @Override
        protected Duration patience() {
            return Duration.ofSeconds(3); // the dropped batch never comes: fail soon
        }
    }

    /** Delivers each path of a batch as a batch of its own. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class OneBatchPerPathCase extends ChangeWatcherCompatibilityKit {
        @Override
        protected ChangeWatcher watcher(Path root, List<WatchRule> rules) {
            return new Decorated(
                    root,
                    rules,
                    batch -> batch.paths().stream()
                            .map(path -> new ChangeBatch(
                                    batch.rule(),
                                    batch.created().contains(path) ? Set.of(path) : Set.of(),
                                    batch.modified().contains(path) ? Set.of(path) : Set.of(),
                                    batch.deleted().contains(path) ? Set.of(path) : Set.of(),
                                    batch.rescan()))
                            .toList(),
                    false);
        }
    }

    /** Treats farm's own writes like anyone's. */
    @EnabledIfSystemProperty(named = KitRuns.RUNNING_CASE, matches = ".+")
    static class IgnoresWroteCase extends ChangeWatcherCompatibilityKit {
        @Override
        protected ChangeWatcher watcher(Path root, List<WatchRule> rules) {
            return new Decorated(root, rules, List::of, true);
        }
    }
}
