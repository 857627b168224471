/**
 * File-change detection for farm: {@link dev.farm.watch.ChangeWatcher} watches project folders and delivers {@link
 * dev.farm.watch.ChangeBatch}es. This is the API sketch; the implementation over io.methvin's directory-watcher comes
 * with the farm-watch issue (see the module README).
 */
@NullMarked
package dev.farm.watch;

import org.jspecify.annotations.NullMarked;
