package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.testing.FakeClock;
import dev.inboard.mesh.xds.Backoff;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsClientOptions;
import dev.inboard.mesh.xds.XdsProtocol;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local control plane on loopback ports with a fake clock (pushes and timers run when the test moves it, on the
 * test's thread), a config directory, and real xDS clients connecting as workloads.
 */
public final class ControlPlaneHarness implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(10);
  public static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: productpage, namespace: default}
      spec:
        ports: [{port: 9080, name: http}]
        selector: {app: productpage}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: reviews, namespace: default}
      spec:
        ports: [{port: 9080, name: http}]
        selector: {app: reviews}
      """;
  public static final String RATINGS = """
      apiVersion: v1
      kind: Service
      metadata: {name: ratings, namespace: default}
      spec:
        ports: [{port: 9080, name: http}]
        selector: {app: ratings}
      """;

  public final FakeClock clock = new FakeClock();
  public final Path configDir;
  public final LocalControlPlane cp;
  private final List<XdsClient> clients = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  public ControlPlaneHarness(Path tempDir) throws IOException {
    configDir = tempDir.resolve("istio");
    Files.createDirectories(configDir);
    Files.writeString(configDir.resolve("services.yaml"), SERVICES);
    cp = LocalControlPlane.start(ControlPlaneOptions.builder()
            .xdsPort(0)
            .apiPort(0)
            .configDir(configDir)
            .clock(clock)
            .executor(Runnable::run)
            .build(),
        new ServiceSelectingRegistry(), new EdsPerServiceGenerator());
  }

  public static NodeInfo workload(String pod, String app, String ip) {
    return NodeIdentity.builder()
        .namespace("default")
        .podName(pod)
        .workloadName(app + "-v1")
        .app(app)
        .version("v1")
        .serviceAccount("bookinfo-" + app)
        .instanceIps(ip)
        .port("http", 9080)
        .build();
  }

  public XdsClient connect(NodeInfo node, XdsProtocol protocol) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.xdsAddress().getPort())
        .usePlaintext()
        .build();
    channels.add(channel);
    XdsClient client = XdsClient.create(XdsClientOptions.builder()
        .channel(channel, "local control plane")
        .node(node)
        .protocol(protocol)
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 1.6, 0.2))
        .build());
    clients.add(client);
    client.start();
    return client;
  }

  public static MeshSnapshot complete(XdsClient client) throws Exception {
    return client.whenComplete().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The endpoints {@code ip:port} a client holds for a cluster, in order. */
  static List<String> endpoints(MeshSnapshot snapshot, String cluster) {
    var cla = snapshot.endpoints().get(cluster);
    if (cla == null) {
      return List.of();
    }
    return cla.localities().stream()
        .flatMap(l -> l.endpoints().stream())
        .map(e -> e.address().host() + ":" + e.address().port())
        .toList();
  }

  public ProxyStatus status(String proxy) {
    return cp.proxyStatus().stream().filter(p -> p.name().equals(proxy)).findFirst()
        .orElseThrow(() -> new AssertionError("no proxy " + proxy + " in " + cp.proxyStatus()));
  }

  boolean connected(String proxy) {
    return cp.proxyStatus().stream().anyMatch(p -> p.name().equals(proxy));
  }

  HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(api(path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(api(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + cp.apiAddress().getPort() + path);
  }

  void disconnect(XdsClient client) {
    client.close();
  }

  @Override
  public void close() {
    clients.forEach(XdsClient::close);
    channels.forEach(ManagedChannel::shutdownNow);
    cp.close();
  }
}
