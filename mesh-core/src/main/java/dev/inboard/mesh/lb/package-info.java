/**
 * Envoy's load balancers, in process: priorities and locality weights, panic mode, round robin, least request,
 * random, ring hash and Maglev over a cluster's endpoints.
 */
@NullMarked
package dev.inboard.mesh.lb;

import org.jspecify.annotations.NullMarked;
