/**
 * File-change detection for farm (not implemented yet; see the module README). This package will hold {@code
 * ChangeWatcher}, which watches project folders through io.methvin's directory-watcher, its {@code WatchSpec} (roots,
 * glob rules, ignores) and the debounced, content-gated {@code ChangeBatch} it delivers.
 */
@NullMarked
package dev.farm.watch;

import org.jspecify.annotations.NullMarked;
