/**
 * Istio AuthorizationPolicy to Envoy RBAC, the way istiod builds it: policy selection for a workload
 * ({@link dev.inboard.mesh.agent.authz.PolicySelector}), then {@link dev.inboard.mesh.agent.authz.RbacFilterBuilder}
 * for the HTTP and network filters of a sidecar-shaped inbound listener (including CUSTOM actions through
 * ext_authz) and for the RBAC filters a proxyless gRPC server receives.
 */
@NullMarked
package dev.inboard.mesh.agent.authz;

import org.jspecify.annotations.NullMarked;
