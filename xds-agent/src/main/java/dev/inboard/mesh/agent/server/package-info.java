/**
 * The local control plane: serves, over ADS, the xDS generated from Istio YAML for every connected workload,
 * registers workloads as they connect, and pushes (debounced) whenever configuration or workloads change.
 */
@NullMarked
package dev.inboard.mesh.agent.server;

import org.jspecify.annotations.NullMarked;
