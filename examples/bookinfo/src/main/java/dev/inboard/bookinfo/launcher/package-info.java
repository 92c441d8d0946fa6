/**
 * Runs Bookinfo on one machine: Inboard's local control plane and Bookinfo's six workloads as separate JVMs on
 * loopback addresses, each output line tagged with its workload, all stopped together.
 */
@NullMarked
package dev.inboard.bookinfo.launcher;

import org.jspecify.annotations.NullMarked;
