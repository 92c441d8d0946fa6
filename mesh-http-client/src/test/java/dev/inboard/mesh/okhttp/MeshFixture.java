package dev.inboard.mesh.okhttp;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.RDS;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.lb.ThreadLocalRandomGenerator;
import dev.inboard.mesh.testing.FakeAdsServer;
import dev.inboard.mesh.xds.XdsProtocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/**
 * A mesh fed by a fake ADS server: service {@code reviews.default.svc.cluster.local:9080} with clusters v1, v2 and
 * mirror, whose endpoints are the given loopback backends, plus an OkHttp client with the mesh enabled.
 */
final class MeshFixture implements AutoCloseable {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final int PORT = 9080;
  static final String AUTHORITY = HOST + ":" + PORT;
  static final String URL = "http://" + AUTHORITY;
  static final String V1 = clusterName(PORT, "v1", HOST);
  static final String V2 = clusterName(PORT, "v2", HOST);
  static final String MIRROR = clusterName(PORT, "mirror", HOST);
  /** A cluster whose endpoints are both v1 and v2. */
  static final String BOTH = clusterName(PORT, "both", HOST);

  private final FakeAdsServer ads;
  private final ManagedChannel channel;
  final Mesh mesh;
  final OkHttpClient client;

  private MeshFixture(FakeAdsServer ads, ManagedChannel channel, Mesh mesh, OkHttpClient client) {
    this.ads = ads;
    this.channel = channel;
    this.mesh = mesh;
    this.client = client;
  }

  /** Starts a mesh with {@code route} and the clusters (customized by {@code clusterEdit}) backed by the servers. */
  static MeshFixture start(MeshOptions.OutboundPolicy policy, RouteConfiguration route, List<Cluster> clusters,
      MockWebServer v1, MockWebServer v2, MockWebServer mirror) throws Exception {
    return start(policy, List.of(route), clusters, v1, v2, mirror);
  }

  /** As above with several route configurations, each served by a sidecar listener on the port it is named by. */
  static MeshFixture start(MeshOptions.OutboundPolicy policy, List<RouteConfiguration> routeConfigs,
      List<Cluster> clusters, MockWebServer v1, MockWebServer v2, MockWebServer mirror) throws Exception {
    return start(policy, routeConfigs, clusters, v1, v2, mirror, ThreadLocalRandomGenerator.INSTANCE);
  }

  /** As above, with the mesh's randomness (routing, balancing, retry back-off jitter) from {@code random}. */
  static MeshFixture start(MeshOptions.OutboundPolicy policy, List<RouteConfiguration> routeConfigs,
      List<Cluster> clusters, MockWebServer v1, MockWebServer v2, MockWebServer mirror, RandomGenerator random)
      throws Exception {
    FakeAdsServer ads = new FakeAdsServer();
    ManagedChannel channel = ads.channel();
    Mesh mesh = Mesh.start(MeshOptions.builder()
        .channel(channel, "fake", NodeIdentity.builder().namespace("default").app("productpage").build(),
            XdsProtocol.SOTW)
        .outboundPolicy(policy)
        .random(random)
        .build());
    FakeAdsServer.Stream s = ads.nextStream();
    s.sendSotw(CDS, "1", "a", clusters);
    List<ClusterLoadAssignment> eds = new ArrayList<>();
    eds.add(endpoints(V1, "127.0.0.1:" + v1.getPort()));
    eds.add(endpoints(V2, "127.0.0.1:" + v2.getPort()));
    eds.add(endpoints(MIRROR, "127.0.0.1:" + mirror.getPort()));
    eds.add(endpoints(BOTH, "127.0.0.1:" + v1.getPort(), "127.0.0.1:" + v2.getPort()));
    s.sendSotw(EDS, "1", "b", eds);
    s.sendSotw(LDS, "1", "c", routeConfigs.stream()
        .map(r -> sidecarListener(Integer.parseInt(r.getName()), r.getName())).toList());
    s.sendSotw(RDS, "1", "d", routeConfigs);
    mesh.awaitReady(Duration.ofSeconds(10));
    OkHttpClient client = MeshOkHttp.enable(new OkHttpClient.Builder(), mesh).build();
    return new MeshFixture(ads, channel, mesh, client);
  }

  static List<Cluster> clusters() {
    return List.of(edsCluster(V1), edsCluster(V2), edsCluster(MIRROR), edsCluster(BOTH));
  }

  /** A route configuration for the service with one virtual host holding {@code routes}. */
  static RouteConfiguration routes(Route... routes) {
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName(AUTHORITY).addDomains(HOST).addDomains(AUTHORITY);
    for (Route r : routes) {
      vh.addRoutes(r);
    }
    return RouteConfiguration.newBuilder().setName(String.valueOf(PORT)).addVirtualHosts(vh).build();
  }

  /** A prefix-{@code /} route to {@code cluster}, with {@code action} edits. */
  static Route.Builder routeTo(String cluster) {
    return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdownNow();
    client.connectionPool().evictAll();
    mesh.close();
    channel.shutdownNow();
    ads.close();
  }
}
