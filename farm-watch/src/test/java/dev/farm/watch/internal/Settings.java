package dev.farm.watch.internal;

import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Builds a {@link DefaultChangeWatcher} with the builder's defaults and a chosen watch service. */
final class Settings {

    private Settings() {}

    static DefaultChangeWatcher watcher(
            Path root, WatchRule rule, boolean polling, Duration pollInterval, WatchServiceFactory services) {
        return new DefaultChangeWatcher(new DefaultChangeWatcher.Settings(
                root,
                List.of(rule),
                ChangeWatcher.DEFAULT_IGNORES,
                true,
                ChangeWatcher.DEFAULT_QUIET,
                ChangeWatcher.DEFAULT_MAX_WAIT,
                polling,
                pollInterval,
                10,
                Duration.ofSeconds(10),
                Clock.systemUTC(),
                services));
    }
}
