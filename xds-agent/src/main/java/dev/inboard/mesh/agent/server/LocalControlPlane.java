package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.server.api.ControlApiServer;
import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import dev.inboard.mesh.agent.xdsgen.ProxyView;
import dev.inboard.mesh.agent.xdsgen.ProxyXdsGenerator;
import dev.inboard.mesh.agent.xdsgen.PushContext;
import dev.inboard.mesh.bootstrap.NodeInfo;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inboard's local control plane: serves over ADS (state-of-the-world and Delta, plaintext) the xDS generated from
 * Istio YAML for each connected proxy, registers proxies as workloads when they connect, and pushes to every
 * connected proxy (debounced) when configuration or workloads change. A control API on loopback lets
 * {@code meshctl} apply and delete configuration and inspect what proxies receive.
 *
 * <pre>{@code
 * LocalControlPlane cp = LocalControlPlane.start(
 *     ControlPlaneOptions.builder().configDir(Path.of("istio")).build(), registryBuilder, generator);
 * }</pre>
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalControlPlane.class);

  private final ControlPlaneOptions options;
  private final RegistryBuilder registryBuilder;
  private final ProxyXdsGenerator generator;
  private final ControlLoop loop;
  private final SnapshotPublisher publisher = new SnapshotPublisher();
  private final ConfigStore store;
  private final AutoRegistry autoRegistry;
  private final ProxyPusher pusher;
  private final PushDebouncer debouncer;
  private final ConnectionTracker tracker;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private @Nullable ConfigDirectoryWatcher watcher;
  private @Nullable Server xdsServer;
  private @Nullable InetSocketAddress xdsAddress;
  private @Nullable ControlApiServer apiServer;

  private LocalControlPlane(ControlPlaneOptions options, RegistryBuilder registryBuilder,
      ProxyXdsGenerator generator) {
    this.options = options;
    this.registryBuilder = registryBuilder;
    this.generator = generator;
    this.loop = new ControlLoop(options.executor().orElse(null));
    this.debouncer = new PushDebouncer(options.clock(), options.debounceAfter(), options.debounceMax(), loop,
        this::pushAll);
    this.store = new ConfigStore(debouncer::request);
    this.autoRegistry = new AutoRegistry(options.clock(), options.registrationGrace(), loop, debouncer::request);
    this.pusher = new ProxyPusher(generator, publisher);
    this.tracker = new ConnectionTracker(options.clock(), new ConnectionTracker.Listener() {
      @Override
      public void connected(long streamId, NodeInfo node) {
        loop.execute(() -> onConnected(streamId, node));
      }

      @Override
      public void disconnected(long streamId, NodeInfo node) {
        loop.execute(() -> onDisconnected(streamId, node));
      }
    });
  }

  /**
   * Loads the config directory (if any), then starts the xDS server and the control API.
   *
   * @throws IOException when a port cannot be bound
   */
  public static LocalControlPlane start(ControlPlaneOptions options, RegistryBuilder registryBuilder,
      ProxyXdsGenerator generator) throws IOException {
    LocalControlPlane cp = new LocalControlPlane(options, registryBuilder, generator);
    try {
      cp.startAll();
    } catch (IOException | RuntimeException e) {
      cp.close();
      throw e;
    }
    return cp;
  }

  private void startAll() throws IOException {
    options.configDir().ifPresent(dir -> loop.call(() -> {
      watcher = new ConfigDirectoryWatcher(dir, options.configPollInterval(), options.clock(), loop,
          this::reloadDirectoryNow);
      report("loaded " + dir, store.loadDirectory(dir));
      return null;
    }));
    V3DiscoveryServer discovery = new V3DiscoveryServer(tracker, publisher.cache());
    xdsServer = NettyServerBuilder.forAddress(new InetSocketAddress(options.xdsHost(), options.xdsPort()))
        .addService(new AdsFrontend(discovery.getAggregatedDiscoveryServiceImpl()))
        .build()
        .start();
    xdsAddress = (InetSocketAddress) xdsServer.getListenSockets().get(0);
    apiServer = ControlApiServer.start(new InetSocketAddress("127.0.0.1", options.apiPort()), this);
    log.info("local control plane: xDS on {}, control API on http://{}", addressText(xdsAddress()),
        addressText(apiAddress()));
  }

  /** Where the xDS server listens (the bound port when 0 was asked for). */
  public InetSocketAddress xdsAddress() {
    return requireStarted(xdsAddress);
  }

  /** Where the control API listens. */
  public InetSocketAddress apiAddress() {
    return requireStarted(apiServer).address();
  }

  /** The configuration being served. */
  public ConfigSet config() {
    return store.current();
  }

  /** Adds or replaces resources; refused whole, changing nothing, when anything is wrong. */
  public ConfigUpdate apply(List<YamlSource> inputs) {
    return loop.call(() -> report("apply", store.apply(inputs)));
  }

  /** Removes the resources named in {@code inputs}; refused whole when what would remain is invalid. */
  public ConfigUpdate delete(List<YamlSource> inputs) {
    return loop.call(() -> report("delete", store.delete(inputs)));
  }

  /** Reloads the config directory now, without waiting for the next poll. */
  public ConfigUpdate reloadConfigDirectory() {
    Path dir = options.configDir().orElseThrow(() -> new IllegalStateException("no config directory is served"));
    return loop.call(() -> report("reloaded " + dir, store.loadDirectory(dir)));
  }

  private void reloadDirectoryNow() {
    options.configDir().ifPresent(dir -> report("reloaded " + dir, store.loadDirectory(dir)));
  }

  /** Every connected proxy and where each xDS type stands with it, by name. */
  public List<ProxyStatus> proxyStatus() {
    return loop.call(() -> {
      List<ProxyStatus> out = new ArrayList<>();
      for (ConnectionTracker.StreamView s : tracker.streams(publisher::servedVersion)) {
        NodeInfo node = s.node();
        out.add(new ProxyStatus(NodeInfos.proxyName(node), node.id(), node.namespace().orElse(""),
            node.workloadName().orElse(""), node.clusterId().orElse(""), node.instanceIps(), s.protocol(),
            s.connectedAt(), autoRegistry.workloadOf(node.id()).isPresent(), pusher.generationError(node.id()),
            s.types()));
      }
      out.sort(Comparator.comparing(ProxyStatus::name).thenComparing(ProxyStatus::connectedAt));
      return out;
    });
  }

  /**
   * What a connected proxy is served, found by its name ({@code pod.namespace}), by {@code workload.namespace}
   * when that names one proxy, or by node id.
   *
   * @throws ProxyLookupException when nothing or more than one proxy matches
   */
  public ServedProxy servedTo(String proxy) {
    return loop.call(() -> {
      List<NodeInfo> nodes = tracker.streams(publisher::servedVersion).stream()
          .map(ConnectionTracker.StreamView::node)
          .distinct()
          .toList();
      List<NodeInfo> matches = nodes.stream()
          .filter(n -> NodeInfos.proxyName(n).equals(proxy) || n.id().equals(proxy))
          .toList();
      if (matches.isEmpty()) {
        matches = nodes.stream()
            .filter(n -> n.workloadName().isPresent()
                && (n.workloadName().get() + "." + n.namespace().orElse("")).equals(proxy))
            .toList();
      }
      if (matches.isEmpty()) {
        List<String> names = nodes.stream().map(NodeInfos::proxyName).sorted().toList();
        throw new ProxyLookupException("no connected proxy " + proxy + "; connected: "
            + (names.isEmpty() ? "none" : String.join(", ", names)));
      }
      if (matches.size() > 1) {
        throw new ProxyLookupException(proxy + " names " + matches.size() + " proxies ("
            + String.join(", ", matches.stream().map(NodeInfos::proxyName).sorted().toList())
            + "); name one of them");
      }
      NodeInfo match = matches.get(0);
      GeneratedXds xds = publisher.served(match.id()).orElseThrow(() -> new ProxyLookupException(
          "proxy " + NodeInfos.proxyName(match) + " is connected but no xDS could be generated for it"
              + pusher.generationError(match.id()).map(e -> ": " + e).orElse("")));
      return new ServedProxy(NodeInfos.proxyName(match), match.id(), xds);
    });
  }

  /** What {@code proxy} would be served now; it need not be connected. */
  public GeneratedXds generateFor(ProxyView proxy) {
    return loop.call(() -> generator.generate(proxy, context()));
  }

  // ---- events, on the control loop --------------------------------------------------------------------------------

  private void onConnected(long streamId, NodeInfo node) {
    log.info("proxy {} connected (node {})", NodeInfos.proxyName(node), node.id());
    pusher.connected(streamId, node);
    autoRegistry.opened(node.id(), node);
    pusher.push(node.id(), context());
  }

  private void onDisconnected(long streamId, NodeInfo node) {
    log.info("proxy {} disconnected", NodeInfos.proxyName(node));
    pusher.disconnected(streamId, node.id());
    autoRegistry.closed(node.id());
  }

  private void pushAll() {
    pusher.pushAll(context());
  }

  private PushContext context() {
    ConfigSet config = store.current();
    return new PushContext(config, registryBuilder.build(config, autoRegistry.workloads()), options.mesh());
  }

  private static ConfigUpdate report(String what, ConfigUpdate update) {
    if (update.accepted()) {
      if (update.changedAnything()) {
        log.info("{}: {}", what, update.changes());
      }
    } else {
      log.warn("{}: refused, the last good configuration keeps serving; {} problem(s):", what,
          update.problems().size());
      update.problems().forEach(p -> log.warn("  {}", p));
    }
    return update;
  }

  @Override
  public void close() {
    debouncer.close();
    ConfigDirectoryWatcher w = watcher;
    if (w != null) {
      w.close();
    }
    ControlApiServer api = apiServer;
    if (api != null) {
      api.close();
    }
    Server xds = xdsServer;
    if (xds != null) {
      xds.shutdownNow();
      try {
        xds.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    loop.close();
    terminated.countDown();
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  private static <T> T requireStarted(@Nullable T component) {
    if (component == null) {
      throw new IllegalStateException("the control plane is not started");
    }
    return component;
  }

  static String addressText(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
