/**
 * The farm command line and {@link dev.farm.cli.DevServer}, the programmatic way to run a whole stack: it reads the
 * configuration, starts every service in order and stops them all on {@link dev.farm.cli.DevServer#close()}.
 */
@NullMarked
package dev.farm.cli;

import org.jspecify.annotations.NullMarked;
