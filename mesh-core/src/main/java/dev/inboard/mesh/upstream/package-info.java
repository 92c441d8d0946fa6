/** Per-cluster runtime state that outlives snapshot swaps: hosts, limits, outlier state and load balancers. */
@NullMarked
package dev.inboard.mesh.upstream;

import org.jspecify.annotations.NullMarked;
