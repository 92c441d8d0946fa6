package dev.inboard.mesh.agent.demo;

import dev.inboard.mesh.admin.AdminServer;
import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.YamlSource;
import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.snapshot.SnapshotWatcher;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsClientOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bookinfo on the local control plane: Bookinfo's Istio YAML served as istiod would serve it, Bookinfo's six
 * workloads connected as Inboard xDS clients (each registers itself, so the others see it as an endpoint), and
 * productpage's admin page showing the configuration it holds. {@link #shiftReviews} moves the reviews split through
 * the same apply path as {@code meshctl apply}.
 */
public final class XdsDemo implements AutoCloseable {
  static final List<String[]> WORKLOADS = List.of(
      new String[] {"productpage", "v1", "127.0.0.10"}, new String[] {"details", "v1", "127.0.0.20"},
      new String[] {"ratings", "v1", "127.0.0.30"}, new String[] {"reviews", "v1", "127.0.0.41"},
      new String[] {"reviews", "v2", "127.0.0.42"}, new String[] {"reviews", "v3", "127.0.0.43"});
  private static final int[] V1_WEIGHTS = {50, 80, 20};

  private final LocalControlPlane controlPlane;
  private final List<XdsClient> workloads = new ArrayList<>();
  private final XdsClient productpage;
  private final AdminServer admin;
  private int step;

  private XdsDemo(Path configDir, int xdsPort, int apiPort, int adminPort) throws IOException {
    ServerComponents components = ServerComponents.standard();
    controlPlane = LocalControlPlane.start(ControlPlaneOptions.builder().xdsPort(xdsPort).apiPort(apiPort)
        .configDir(configDir).build(), components.registryBuilder(), components.generator());
    String target = "127.0.0.1:" + controlPlane.xdsAddress().getPort();
    for (String[] w : WORKLOADS) {
      NodeInfo node = NodeIdentity.builder().namespace("default").podName(w[0] + "-" + w[1] + "-demo")
          .workloadName(w[0] + "-" + w[1]).app(w[0]).version(w[1]).serviceAccount("bookinfo-" + w[0])
          .label("security.istio.io/tlsMode", "istio").instanceIps(w[2]).port("http", 9080).build();
      XdsClient client = XdsClient.create(XdsClientOptions.builder().bootstrap(new XdsBootstrap(
          ControlPlaneServer.plaintext(target), node, Map.of(), Optional.empty(), "demo: local control plane "
          + target)).build());
      client.start();
      workloads.add(client);
    }
    productpage = workloads.get(0);
    admin = AdminServer.start(new InetSocketAddress("127.0.0.1", adminPort), productpage::snapshot,
        productpage::syncState);
  }

  /** Starts everything; port 0 picks a free port. */
  public static XdsDemo start(Path configDir, int xdsPort, int apiPort, int adminPort) throws IOException {
    return new XdsDemo(configDir, xdsPort, apiPort, adminPort);
  }

  /** Waits until productpage holds its complete configuration and sees every reviews workload. */
  public MeshSnapshot awaitReady(Duration timeout) throws InterruptedException, ExecutionException,
      TimeoutException {
    CompletableFuture<MeshSnapshot> ready = new CompletableFuture<>();
    SnapshotWatcher watcher = s -> {
      if (s.complete() && reviewsEndpoints(s) == 3) {
        ready.complete(s);
      }
    };
    productpage.addWatcher(watcher);
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      productpage.removeWatcher(watcher);
    }
  }

  private static long reviewsEndpoints(MeshSnapshot snapshot) {
    var cla = snapshot.endpoints().get("outbound|9080||reviews.default.svc.cluster.local");
    return cla == null ? 0 : cla.localities().stream().mapToLong(l -> l.endpoints().size()).sum();
  }

  /** Applies the next reviews split (v1 50/80/20 %, the rest to v3); returns v1's weight. */
  public int shiftReviews() {
    int weight = V1_WEIGHTS[++step % V1_WEIGHTS.length];
    ConfigUpdate update = controlPlane.apply(List.of(new YamlSource("demo", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
              weight: %d
            - destination: {host: reviews, subset: v3}
              weight: %d
        """.formatted(weight, 100 - weight))));
    if (!update.accepted()) {
      throw new IllegalStateException("the demo's own VirtualService was refused: " + update.problems());
    }
    return weight;
  }

  public MeshSnapshot snapshot() {
    return productpage.snapshot();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public InetSocketAddress apiAddress() {
    return controlPlane.apiAddress();
  }

  @Override
  public void close() {
    admin.close();
    workloads.forEach(XdsClient::close);
    controlPlane.close();
  }

  public static void main(String[] args) throws Exception {
    Path configDir = Path.of(stringOption(args, "--config-dir", "examples/bookinfo/istio"));
    int xdsPort = intOption(args, "--xds-port", 15010);
    int apiPort = intOption(args, "--api-port", 15014);
    int adminPort = intOption(args, "--admin-port", 15000);
    Duration shiftEvery = Duration.ofSeconds(intOption(args, "--shift-every", 30));
    XdsDemo demo;
    try {
      demo = start(configDir, xdsPort, apiPort, adminPort);
    } catch (IOException | RuntimeException e) {
      System.err.println("Cannot start the demo: " + e.getMessage() + ". If a port is taken, choose others with"
          + " --xds-port N --api-port N --admin-port N.");
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
    MeshSnapshot snapshot = demo.awaitReady(Duration.ofSeconds(30));
    System.out.printf("Bookinfo on the local control plane: productpage holds %d listeners, %d route tables,"
        + " %d clusters.%n", snapshot.listeners().size(), snapshot.routes().size(), snapshot.clusters().size());
    System.out.printf("Open http://127.0.0.1:%d/ (productpage's view; JSON at /config_dump).%n",
        demo.adminAddress().getPort());
    System.out.printf("Try: bin/meshctl proxy-status   |   bin/meshctl proxy-config routes productpage-v1-demo.default"
        + "   |   edit %s (watched).%n", configDir);
    if (shiftEvery.isZero()) {
      Thread.currentThread().join();
    }
    while (true) {
      Thread.sleep(shiftEvery.toMillis());
      int weight = demo.shiftReviews();
      System.out.printf("Applied a new reviews split: v1 %d%% / v3 %d%%%n", weight, 100 - weight);
    }
  }

  private static String stringOption(String[] args, String name, String defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return defaultValue;
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    String value = stringOption(args, name, String.valueOf(defaultValue));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      System.err.println(name + " must be a number, was '" + value + "'");
      System.exit(2);
      return defaultValue;
    }
  }
}
