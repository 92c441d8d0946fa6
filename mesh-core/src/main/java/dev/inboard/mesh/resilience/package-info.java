/** Envoy's upstream protection: circuit breakers, outlier detection and retry back-off. */
@NullMarked
package dev.inboard.mesh.resilience;

import org.jspecify.annotations.NullMarked;
