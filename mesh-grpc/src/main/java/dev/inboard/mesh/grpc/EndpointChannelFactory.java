package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.SocketAddress;
import io.grpc.ManagedChannel;

/**
 * Makes the channel a mesh channel uses to reach one endpoint: its transport and credentials (plaintext by
 * default; the mesh's mTLS, or a test's in-process transport, plug in here). The mesh channel owns what it gets
 * and shuts it down when the endpoint leaves the configuration or the mesh channel shuts down.
 */
@FunctionalInterface
public interface EndpointChannelFactory {
  ManagedChannel create(SocketAddress endpoint);
}
