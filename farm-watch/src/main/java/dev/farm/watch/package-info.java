/**
 * File-change detection for farm: {@link dev.farm.watch.ChangeWatcher} watches project folders and delivers {@link
 * dev.farm.watch.ChangeBatch}es per {@link dev.farm.watch.WatchRule}; {@code ChangeWatcher.builder(root)} gives the
 * default implementation, over io.methvin's directory-watcher or polling.
 */
@NullMarked
package dev.farm.watch;

import org.jspecify.annotations.NullMarked;
