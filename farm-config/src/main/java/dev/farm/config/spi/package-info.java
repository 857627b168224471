/** What plug-in authors implement to teach farm another configuration file format. */
@NullMarked
package dev.farm.config.spi;

import org.jspecify.annotations.NullMarked;
