package dev.inboard.mesh.grpc;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.RDS;
import static dev.inboard.mesh.testing.XdsFixtures.apiListener;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;

import com.google.protobuf.Message;
import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.testing.FakeAdsServer;
import dev.inboard.mesh.xds.XdsProtocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A {@link Mesh} fed by a {@link FakeAdsServer} with one destination's configuration: clusters, their endpoints,
 * the grpc generator's API listener {@code reviews.default.svc.cluster.local:9080} and the sidecar listener
 * {@code 0.0.0.0_9080}, both routing by the route configuration {@code 9080}.
 */
final class MeshHarness implements AutoCloseable {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String ROUTE = "9080";

  private final FakeAdsServer ads;
  private final ManagedChannel adsChannel;
  final Mesh mesh;
  private FakeAdsServer.Stream stream;

  private MeshHarness(FakeAdsServer ads, ManagedChannel adsChannel, Mesh mesh) {
    this.ads = ads;
    this.adsChannel = adsChannel;
    this.mesh = mesh;
  }

  /** Sends a new EDS state of the world. */
  void updateEndpoints(String version, List<ClusterLoadAssignment> endpoints) {
    stream.sendSotw(EDS, version, "eds-" + version, endpoints);
  }

  static MeshHarness start(List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, RouteConfiguration route)
      throws Exception {
    FakeAdsServer ads = new FakeAdsServer();
    ManagedChannel channel = ads.channel();
    Mesh mesh = Mesh.start(MeshOptions.builder()
        .channel(channel, "fake", NodeIdentity.builder().namespace("default").app("productpage").build(),
            XdsProtocol.SOTW)
        .random(new SplittableRandom(20261121L))
        .build());
    MeshHarness harness = new MeshHarness(ads, channel, mesh);
    FakeAdsServer.Stream s = ads.nextStream();
    harness.stream = s;
    s.sendSotw(CDS, "1", "a", clusters);
    s.sendSotw(EDS, "1", "b", endpoints);
    s.sendSotw(LDS, "1", "c", List.<Message>of(apiListener(HOST + ":9080", ROUTE), sidecarListener(9080, ROUTE)));
    s.sendSotw(RDS, "1", "d", List.of(route));
    mesh.awaitReady(Duration.ofSeconds(10));
    return harness;
  }

  @Override
  public void close() {
    mesh.close();
    adsChannel.shutdownNow();
    ads.close();
  }
}
