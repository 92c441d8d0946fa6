/**
 * Where the xDS client connects and who it says it is. {@link dev.inboard.mesh.bootstrap.BootstrapLoader} builds an
 * {@link dev.inboard.mesh.bootstrap.XdsBootstrap} from Istio's gRPC bootstrap file, from the pod environment for a
 * direct connection to istiod, or for a local control plane; {@link dev.inboard.mesh.bootstrap.NodeIdentity} builds
 * the node id and metadata as istio-agent does; {@link dev.inboard.mesh.bootstrap.ControlPlaneChannels} opens the
 * gRPC channel. No Envoy protos here: the transport turns {@link dev.inboard.mesh.bootstrap.NodeInfo} into the
 * {@code Node} proto.
 */
@NullMarked
package dev.inboard.mesh.bootstrap;

import org.jspecify.annotations.NullMarked;
