package dev.farm.testkit.kits;

import dev.farm.watch.ChangeWatcher;
import dev.farm.watch.WatchRule;
import java.nio.file.Path;
import java.util.List;

/** farm's default watcher, from {@link ChangeWatcher#builder(Path)}, against its kit. */
class DefaultChangeWatcherCompatibilityIT extends ChangeWatcherCompatibilityKit {

    @Override
    protected ChangeWatcher watcher(Path root, List<WatchRule> rules) {
        ChangeWatcher.Builder builder = ChangeWatcher.builder(root);
        rules.forEach(builder::rule);
        return builder.build();
    }
}
