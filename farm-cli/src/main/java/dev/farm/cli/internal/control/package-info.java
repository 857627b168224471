/**
 * The control API a running {@code farm dev} or {@code farm serve} serves on 127.0.0.1, the file that tells other farm
 * commands where it is, and the client those commands use.
 */
@NullMarked
package dev.farm.cli.internal.control;

import org.jspecify.annotations.NullMarked;
