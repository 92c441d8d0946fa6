package dev.inboard.mesh.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.ProxyStatus;
import dev.inboard.mesh.agent.server.YamlSource;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local control plane with the components {@code meshctl serve} uses, on loopback ports and the real clock, and
 * grpc-java's own xDS machinery (name resolver, {@code XdsServerBuilder}) bootstrapped against it as Istio's
 * proxyless gRPC workloads are: node metadata {@code GENERATOR: grpc}, insecure channel credentials, xDS v3.
 */
final class GrpcXdsInterop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcXdsInterop.class);
  static final Duration WAIT = Duration.ofSeconds(15);
  /** The inbound listener name template istio-agent writes into gRPC bootstraps. */
  static final String SERVER_LISTENER_TEMPLATE = "xds.istio.io/grpc/lds/inbound/%s";

  final LocalControlPlane cp;
  private final List<ManagedChannel> channels = new ArrayList<>();

  GrpcXdsInterop() throws IOException {
    ServerComponents components = ServerComponents.standard();
    cp = LocalControlPlane.start(ControlPlaneOptions.builder().xdsPort(0).apiPort(0).build(),
        components.registryBuilder(), components.generator());
  }

  /** Applies YAML documents; fails the test when the control plane refuses them. */
  void apply(YamlSource... sources) {
    ConfigUpdate update = cp.apply(List.of(sources));
    assertThat(update.accepted()).as("config refused: %s", update.problems()).isTrue();
  }

  /**
   * A gRPC bootstrap for this control plane: {@code node.id} {@code sidecar~IP~POD.NS~NS.svc.cluster.local} and
   * the node metadata istio-agent would send ({@code GENERATOR} is always {@code grpc}).
   */
  Map<String, ?> bootstrap(String nodeId, Map<String, ?> metadata) {
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    meta.put("GENERATOR", "grpc");
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("xds_servers", List.of(Map.of(
        "server_uri", "127.0.0.1:" + cp.xdsAddress().getPort(),
        "channel_creds", List.of(Map.of("type", "insecure")),
        "server_features", List.of("xds_v3"))));
    bootstrap.put("node", Map.of("id", nodeId, "metadata", meta));
    bootstrap.put("server_listener_resource_name_template", SERVER_LISTENER_TEMPLATE);
    return bootstrap;
  }

  /** A channel to {@code target} ({@code xds:///host:port}) resolved by grpc-java's xDS name resolver. */
  @SuppressWarnings("deprecation") // nameResolverFactory is the way to give one channel its own resolver
  ManagedChannel xdsChannel(String target, Map<String, ?> bootstrap) {
    NameResolverRegistry resolvers = new NameResolverRegistry();
    resolvers.register(XdsNameResolverProvider.createForTest("xds", bootstrap));
    ManagedChannel channel = NettyChannelBuilder.forTarget(target)
        .nameResolverFactory(resolvers.asFactory())
        .usePlaintext()
        .build();
    channels.add(channel);
    return channel;
  }

  /** How many of {@code calls} calls each backend answered, by backend name. */
  static Map<String, Integer> spread(ManagedChannel channel, int calls, Map<String, String> headers) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(EchoService.call(channel, headers), 1, Integer::sum);
    }
    log.info("{} calls to {} with headers {}: {}", calls, channel.authority(), headers, counts);
    return counts;
  }

  /** The status of the connected proxy with {@code nodeId}, if it is connected. */
  Optional<ProxyStatus> status(String nodeId) {
    return cp.proxyStatus().stream().filter(p -> p.nodeId().equals(nodeId)).findFirst();
  }

  /**
   * Waits until every xDS type the proxy was sent is ACKed at the version served now, and checks that it never
   * NACKed anything: grpc-java refuses what it cannot apply, so a NACK is a generator bug. Returns the types sent.
   */
  List<String> assertEverythingSentIsAcked(String nodeId) {
    await().atMost(WAIT).untilAsserted(() -> {
      ProxyStatus status = status(nodeId).orElseThrow(() -> new AssertionError("not connected: " + nodeId));
      assertThat(status.generationError()).isEmpty();
      for (ProxyStatus.TypeStatus type : status.types()) {
        assertThat(type.lastNack()).as("%s NACK", type.type()).isEmpty();
        assertThat(type.state()).as("%s", type.type())
            .isIn(ProxyStatus.SyncState.SYNCED, ProxyStatus.SyncState.NOT_SENT);
      }
    });
    return status(nodeId).orElseThrow().types().stream()
        .filter(t -> t.state() == ProxyStatus.SyncState.SYNCED)
        .map(ProxyStatus.TypeStatus::type)
        .toList();
  }

  static YamlSource resource(String path) {
    try (InputStream in = GrpcXdsInterop.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new YamlSource(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cp.close();
  }
}
