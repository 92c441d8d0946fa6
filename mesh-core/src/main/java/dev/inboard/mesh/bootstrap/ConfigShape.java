package dev.inboard.mesh.bootstrap;

/**
 * Which xDS shape the control plane sends this node. istiod picks its generator from the node metadata key
 * {@code GENERATOR}: {@code "grpc"} selects the proxyless gRPC generator (listeners named {@code host:port} and
 * {@code xds.istio.io/grpc/lds/inbound/IP:PORT}); anything else gets the Envoy sidecar shape.
 */
public enum ConfigShape {
  /** The listeners, routes, clusters and endpoints istiod generates for an Envoy sidecar. */
  SIDECAR,
  /** The cut-down shape istiod's {@code grpc} generator produces for proxyless gRPC. */
  GRPC;

  /** The {@code GENERATOR} metadata value that selects the proxyless gRPC generator. */
  public static final String GRPC_GENERATOR = "grpc";
}
