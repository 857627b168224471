/**
 * The default watcher over io.methvin's directory-watcher, its polling fallback, and the pieces both share: the glob
 * matcher, gitignore parsing, the debounce, the content gate and the feedback-loop guard. Not API; may change in any
 * release.
 */
@NullMarked
package dev.farm.watch.internal;

import org.jspecify.annotations.NullMarked;
