package dev.inboard.mesh.agent.demo;

import dev.inboard.mesh.admin.AdminServer;
import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsClientOptions;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves istiod-shaped Bookinfo xDS on loopback, connects an Inboard xDS client to it as productpage's workload,
 * and serves the client's admin page. Every {@code --shift-every} the reviews split moves (50/50, 80/20, ...) so
 * the page shows configuration changing live.
 */
public final class XdsDemo implements AutoCloseable {
  private static final String GROUP = "bookinfo";
  private static final int[] V1_WEIGHTS = {50, 80, 20};

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final AtomicInteger version = new AtomicInteger();
  private final Server xdsServer;
  private final XdsClient client;
  private final AdminServer admin;

  private XdsDemo(int xdsPort, int adminPort) throws IOException {
    publish();
    xdsServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", xdsPort))
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
    int boundXds = ((InetSocketAddress) xdsServer.getListenSockets().get(0)).getPort();
    XdsBootstrap bootstrap = new XdsBootstrap(ControlPlaneServer.plaintext("127.0.0.1:" + boundXds),
        NodeIdentity.builder().namespace(BookinfoXds.NAMESPACE).podName("productpage-v1-demo")
            .workloadName("productpage-v1").app("productpage").version("v1")
            .serviceAccount("bookinfo-productpage").instanceIps("127.0.0.1").port("http", BookinfoXds.PORT)
            .build(),
        Map.of(), Optional.empty(), "demo (local java-control-plane on 127.0.0.1:" + boundXds + ")");
    client = XdsClient.create(XdsClientOptions.builder().bootstrap(bootstrap).build());
    client.start();
    admin = AdminServer.start(new InetSocketAddress("127.0.0.1", adminPort), client::snapshot, client::syncState);
  }

  /** Starts the control plane, the client and the admin page; port 0 picks a free port. */
  public static XdsDemo start(int xdsPort, int adminPort) throws IOException {
    return new XdsDemo(xdsPort, adminPort);
  }

  public MeshSnapshot awaitComplete(Duration timeout) throws InterruptedException, ExecutionException,
      TimeoutException {
    return client.whenComplete().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Moves the reviews traffic split to the next step and pushes a new xDS version. */
  public int shiftWeights() {
    return publish();
  }

  public MeshSnapshot snapshot() {
    return client.snapshot();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  private int publish() {
    int v = version.incrementAndGet();
    int weight = V1_WEIGHTS[(v - 1) % V1_WEIGHTS.length];
    cache.setSnapshot(GROUP, BookinfoXds.snapshot(String.valueOf(v), weight));
    return weight;
  }

  @Override
  public void close() {
    admin.close();
    client.close();
    xdsServer.shutdownNow();
  }

  public static void main(String[] args) throws Exception {
    int xdsPort = intOption(args, "--xds-port", 15010);
    int adminPort = intOption(args, "--admin-port", 15000);
    Duration shiftEvery = Duration.ofSeconds(intOption(args, "--shift-every", 20));
    XdsDemo demo;
    try {
      demo = start(xdsPort, adminPort);
    } catch (IOException e) {
      System.err.println("Cannot start the demo: " + e.getMessage()
          + ". Is another process using port " + xdsPort + " or " + adminPort
          + "? Choose others with --xds-port N --admin-port N.");
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close));
    MeshSnapshot snapshot = demo.awaitComplete(Duration.ofSeconds(30));
    System.out.printf("Inboard xDS client connected: %d listeners, %d route configs, %d clusters.%n",
        snapshot.listeners().size(), snapshot.routes().size(), snapshot.clusters().size());
    System.out.printf("Open http://127.0.0.1:%d/ (JSON at /config_dump). Ctrl-C stops.%n",
        demo.adminAddress().getPort());
    while (true) {
      Thread.sleep(shiftEvery.toMillis());
      int weight = demo.shiftWeights();
      System.out.printf("Pushed a new reviews split: v1 %d%% / v3 %d%%%n", weight, 100 - weight);
    }
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        try {
          return Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          System.err.println(name + " must be a number, was '" + args[i + 1] + "'");
          System.exit(2);
        }
      }
    }
    return defaultValue;
  }
}
