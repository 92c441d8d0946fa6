package dev.inboard.mesh.bench.load;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.grpc.MeshChannels;
import dev.inboard.mesh.okhttp.MeshOkHttp;
import dev.inboard.mesh.xds.XdsProtocol;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.xds.XdsNameResolverProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;

/**
 * The clients a load run compares, all against one {@link LoadBackend}: plain OkHttp and OkHttp with
 * {@link MeshOkHttp}; plain grpc-java on a Netty channel to the server's address, the mesh's gRPC channel
 * ({@link MeshChannels#forTarget}) and grpc-java's own {@code xds:///} channel. The mesh and grpc-java's xDS client
 * take their configuration from the same local control plane, generated from the same Istio config: the mesh as a
 * sidecar-shaped node, grpc-java as a proxyless gRPC node ({@code GENERATOR: grpc}), as istio-agent bootstraps it.
 */
final class LoadClients implements AutoCloseable {
  static final byte[] PAYLOAD = "inboard load run".getBytes(StandardCharsets.UTF_8);
  private static final String GRPC_NODE = "sidecar~127.0.0.3~grpc-xds-0.default~default.svc.cluster.local";

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<OkHttpClient> okHttpClients = new ArrayList<>();
  private final Mesh mesh;
  private final LoadBackend.Ports ports;

  LoadClients(LoadBackend.Ports ports, Duration wait) throws Exception {
    this.ports = ports;
    ManagedChannel xds = track(NettyChannelBuilder.forAddress("127.0.0.1", ports.xds()).usePlaintext().build());
    var node = NodeIdentity.builder().namespace("default").podName("loadgen-0").workloadName("loadgen")
        .app("loadgen").serviceAccount("loadgen").instanceIps("127.0.0.2").build();
    mesh = Mesh.start(MeshOptions.builder().channel(xds, "local control plane", node, XdsProtocol.AUTO).build());
    mesh.awaitReady(wait);
    // The mesh variants must measure routing, not a pass-through: both service ports need their route tables.
    for (int port : new int[] {LoadBackend.HTTP_SERVICE_PORT, LoadBackend.GRPC_SERVICE_PORT}) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (mesh.engine().routeTable(LoadBackend.HOST + ":" + port, port).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the mesh has no route table for " + LoadBackend.HOST + ":" + port
              + "; listeners: " + mesh.engine().snapshot().listeners().keySet());
        }
        Thread.sleep(50);
      }
    }
  }

  /** The mesh the mesh variants route with. */
  Mesh mesh() {
    return mesh;
  }

  Variant plainOkHttp() {
    OkHttpClient client = track(new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build());
    Request request = new Request.Builder().url("http://127.0.0.1:" + ports.http() + "/echo")
        .header("Host", LoadBackend.HOST + ":" + LoadBackend.HTTP_SERVICE_PORT).build();
    return Variant.okHttp("okhttp-plain", client, request);
  }

  Variant meshOkHttp() {
    OkHttpClient client = track(MeshOkHttp.enable(
        new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)), mesh).build());
    Request request = new Request.Builder()
        .url("http://" + LoadBackend.HOST + ":" + LoadBackend.HTTP_SERVICE_PORT + "/echo").build();
    return Variant.okHttp("okhttp-mesh", client, request);
  }

  Variant plainGrpc() {
    return Variant.grpc("grpc-plain",
        track(NettyChannelBuilder.forAddress("127.0.0.1", ports.grpc()).usePlaintext().build()), PAYLOAD);
  }

  Variant meshGrpc() {
    return Variant.grpc("grpc-mesh",
        track(MeshChannels.forTarget(mesh, LoadBackend.HOST + ":" + LoadBackend.GRPC_SERVICE_PORT)), PAYLOAD);
  }

  @SuppressWarnings("deprecation") // nameResolverFactory gives this one channel its own bootstrap
  Variant xdsGrpc() {
    NameResolverRegistry resolvers = new NameResolverRegistry();
    resolvers.register(XdsNameResolverProvider.createForTest("xds", grpcBootstrap()));
    ManagedChannel channel = track(NettyChannelBuilder
        .forTarget("xds:///" + LoadBackend.HOST + ":" + LoadBackend.GRPC_SERVICE_PORT)
        .nameResolverFactory(resolvers.asFactory())
        .usePlaintext()
        .build());
    return Variant.grpc("grpc-xds", channel, PAYLOAD);
  }

  /** What istio-agent writes for a proxyless gRPC workload, pointed at the same control plane. */
  private Map<String, ?> grpcBootstrap() {
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("xds_servers", List.of(Map.of(
        "server_uri", "127.0.0.1:" + ports.xds(),
        "channel_creds", List.of(Map.of("type", "insecure")),
        "server_features", List.of("xds_v3"))));
    bootstrap.put("node", Map.of("id", GRPC_NODE, "metadata", Map.of("GENERATOR", "grpc", "NAMESPACE", "default",
        "INSTANCE_IPS", "127.0.0.3", "CLUSTER_ID", "Kubernetes")));
    bootstrap.put("server_listener_resource_name_template", "xds.istio.io/grpc/lds/inbound/%s");
    return bootstrap;
  }

  private <T extends ManagedChannel> T track(T channel) {
    channels.add(channel);
    return channel;
  }

  private OkHttpClient track(OkHttpClient client) {
    okHttpClients.add(client);
    return client;
  }

  @Override
  public void close() {
    for (OkHttpClient c : okHttpClients) {
      c.dispatcher().executorService().shutdownNow();
      c.connectionPool().evictAll();
    }
    mesh.close();
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
