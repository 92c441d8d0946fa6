package dev.inboard.mesh.grpc;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.config.SocketAddress;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Channels to mesh destinations.
 *
 * <pre>{@code
 * ManagedChannel channel = MeshChannels.forTarget(mesh, "mesh:///reviews.default.svc.cluster.local:9080");
 * ReviewsGrpc.newBlockingStub(channel).get(request);   // routed, retried, timed out as the mesh says
 * }</pre>
 *
 * <p>Connections to endpoints are plaintext unless an {@link EndpointChannelFactory} says otherwise.
 */
public final class MeshChannels {
  private MeshChannels() {}

  /** A channel to {@code target}: {@code mesh:///host:port}, or {@code host:port} ({@code reviews:9080}). */
  public static MeshChannel forTarget(Mesh mesh, String target) {
    return forTarget(mesh, target, MeshChannels::plaintext);
  }

  /** A channel to {@code target} whose endpoint connections {@code endpoints} makes. */
  public static MeshChannel forTarget(Mesh mesh, String target, EndpointChannelFactory endpoints) {
    return new MeshChannel(MeshTarget.parse(target), mesh, ThreadLocalRandom.current(),
        new EndpointChannels(endpoints::create));
  }

  /** Plaintext HTTP/2 to the endpoint, over the default transport. */
  public static ManagedChannel plaintext(SocketAddress address) {
    return Grpc.newChannelBuilderForAddress(address.host(), address.port(), InsecureChannelCredentials.create())
        .build();
  }
}
