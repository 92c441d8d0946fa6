/**
 * Benchmarks of the data plane: an istiod-shaped fixture generator, an in-process ADS server that feeds the xDS
 * client serialized responses, JMH benchmarks of applying configuration and parsing resources, and a retained-heap
 * measurement.
 */
@NullMarked
package dev.inboard.mesh.bench;

import org.jspecify.annotations.NullMarked;
