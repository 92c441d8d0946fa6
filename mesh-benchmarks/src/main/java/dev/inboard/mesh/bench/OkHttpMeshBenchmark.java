package dev.inboard.mesh.bench;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.okhttp.MeshOkHttp;
import dev.inboard.mesh.xds.XdsProtocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One GET through OkHttp with the mesh enabled (route, pick, permit, rewrite, response handling) beside the same GET
 * with a plain client, against a local MockWebServer over HTTP/2 with prior knowledge (HTTP/1.1 MockWebServer
 * answers take ~40 ms here, which would hide everything). Run the two methods interleaved and compare.
 */
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class OkHttpMeshBenchmark {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final int PORT = 9080;
  static final String CLUSTER = "outbound|9080|v1|" + HOST;

  private MockWebServer backend;
  private InProcessAdsServer ads;
  private ManagedChannel channel;
  private Mesh mesh;
  private OkHttpClient plain;
  private OkHttpClient meshed;
  private Request direct;
  private Request viaMesh;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    backend = new MockWebServer();
    backend.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    backend.start(InetAddress.getLoopbackAddress(), 0);
    backend.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("ok").build();
      }
    });
    ads = new InProcessAdsServer();
    channel = ads.channel();
    mesh = Mesh.start(MeshOptions.builder()
        .channel(channel, "bench-istiod", XdsApplyHarness.NODE, XdsProtocol.DELTA).build());
    InProcessAdsServer.Stream stream = ads.nextStream();
    stream.send(DeltaResponses.response(DeltaResponses.CDS, "1", "1", List.of(cluster())));
    stream.send(DeltaResponses.response(DeltaResponses.EDS, "2", "1", List.of(endpoints(backend.getPort()))));
    stream.send(DeltaResponses.response(DeltaResponses.LDS, "3", "1", List.of(listener())));
    stream.send(DeltaResponses.response(DeltaResponses.RDS, "4", "1", List.of(routes())));
    mesh.awaitReady(Duration.ofSeconds(10));

    OkHttpClient.Builder base = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    plain = base.build();
    meshed = MeshOkHttp.enable(new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)), mesh)
        .build();
    direct = new Request.Builder().url(backend.url("/reviews/1"))
        .header("Host", HOST + ":" + PORT).build();
    viaMesh = new Request.Builder().url("http://" + HOST + ":" + PORT + "/reviews/1").build();
    try (Response r = meshed.newCall(viaMesh).execute()) {
      if (!r.body().string().equals("ok")) {
        throw new IllegalStateException("the mesh did not route to the backend: " + r);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (OkHttpClient c : List.of(plain, meshed)) {
      c.dispatcher().executorService().shutdownNow();
      c.connectionPool().evictAll();
    }
    mesh.close();
    channel.shutdownNow();
    ads.close();
    backend.close();
  }

  @Benchmark
  public String plainOkHttp() throws IOException {
    try (Response r = plain.newCall(direct).execute()) {
      return r.body().string();
    }
  }

  @Benchmark
  public String meshOkHttp() throws IOException {
    try (Response r = meshed.newCall(viaMesh).execute()) {
      return r.body().string();
    }
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3).build();
  }

  private static Cluster cluster() {
    return Cluster.newBuilder().setName(CLUSTER).setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()).setServiceName(CLUSTER))
        .build();
  }

  private static ClusterLoadAssignment endpoints(int port) {
    return ClusterLoadAssignment.newBuilder().setClusterName(CLUSTER)
        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
            .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port))))))
        .build();
  }

  private static Listener listener() {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound_0.0.0.0_" + PORT)
        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(String.valueOf(PORT)))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(com.google.protobuf.Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName("0.0.0.0_" + PORT)
        .setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(PORT)))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(com.google.protobuf.Any.pack(hcm))))
        .build();
  }

  private static RouteConfiguration routes() {
    return RouteConfiguration.newBuilder().setName(String.valueOf(PORT))
        .addVirtualHosts(VirtualHost.newBuilder().setName(HOST + ":" + PORT).addDomains(HOST)
            .addDomains(HOST + ":" + PORT)
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(CLUSTER))))
        .build();
  }
}
