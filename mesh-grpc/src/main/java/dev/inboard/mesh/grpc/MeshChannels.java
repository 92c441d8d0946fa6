package dev.inboard.mesh.grpc;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.config.SocketAddress;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/**
 * Channels to mesh destinations.
 *
 * <pre>{@code
 * ManagedChannel channel = MeshChannels.forTarget(mesh, "mesh:///reviews.default.svc.cluster.local:9080");
 * ReviewsGrpc.newBlockingStub(channel).get(request);   // routed, retried, timed out as the mesh says
 * }</pre>
 *
 * <p>Connections to endpoints are plaintext for now; the mesh's mTLS replaces the endpoint channel factory.
 */
public final class MeshChannels {
  private MeshChannels() {}

  /** A channel to {@code target}: {@code mesh:///host:port}, or {@code host:port} ({@code reviews:9080}). */
  public static MeshChannel forTarget(Mesh mesh, String target) {
    return new MeshChannel(MeshTarget.parse(target), mesh, java.util.concurrent.ThreadLocalRandom.current(),
        new EndpointChannels(MeshChannels::plaintext));
  }

  private static ManagedChannel plaintext(SocketAddress address) {
    return Grpc.newChannelBuilderForAddress(address.host(), address.port(), InsecureChannelCredentials.create())
        .build();
  }
}
