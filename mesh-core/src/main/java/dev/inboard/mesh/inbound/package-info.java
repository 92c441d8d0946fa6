/**
 * The inbound side of the mesh, free of any transport's types: the chain every server adapter (servlet filter,
 * WebFlux filter, gRPC interceptor) runs before the application, in {@link dev.inboard.mesh.inbound.InboundPhase}
 * order, as an Envoy sidecar runs its inbound HTTP filters. A stage may answer the request itself (an RBAC denial)
 * or let it continue, and is told when the exchange completes.
 */
@NullMarked
package dev.inboard.mesh.inbound;

import org.jspecify.annotations.NullMarked;
