/**
 * The process supervisor: {@link dev.farm.process.ProcessSupervisor} starts a set of {@link
 * dev.farm.process.ServiceSpec}s in dependency order, waits until each is ready, reports every change as a {@link
 * dev.farm.process.ServiceEvent} and stops each service's whole process tree.
 */
@NullMarked
package dev.farm.process;

import org.jspecify.annotations.NullMarked;
