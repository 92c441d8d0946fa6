/**
 * The routing side of the traffic engine: a route configuration compiled once into lookup structures, and for one
 * outbound request the decision an Envoy sidecar would take (virtual host, route, cluster, timeouts, retries, hash,
 * mirrors, header mutations, rewrites, faults, redirects, direct responses).
 */
@NullMarked
package dev.inboard.mesh.routing;

import org.jspecify.annotations.NullMarked;
