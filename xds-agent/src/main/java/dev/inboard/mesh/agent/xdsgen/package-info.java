/** Istio config + registry -> the xDS istiod would generate for one proxy (sidecar or grpc generator shape). */
@NullMarked
package dev.inboard.mesh.agent.xdsgen;

import org.jspecify.annotations.NullMarked;
