package dev.inboard.mesh.xds;

import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.snapshot.SnapshotWatcher;
import dev.inboard.mesh.xds.XdsSyncState.ConnectionState;
import dev.inboard.mesh.xds.parse.ParseResult;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's xDS client: one ADS stream (Delta or state-of-the-world) carrying every subscription of the process,
 * per-resource validation with ACK/NACK, last-good-config retention, reconnection with backoff, and one immutable
 * {@link MeshSnapshot} published per change. All state is confined to one {@link SerializingExecutor}.
 */
public final class XdsClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XdsClient.class);
  private static final String WILDCARD_TIMER = "*";

  /** Everything the client needs; built by {@link XdsClientOptions}. */
  record Settings(Channel channel, Node node, String serverName, boolean namedListeners, XdsProtocol protocol,
      MeshClock clock, RandomGenerator random, Backoff backoff, Duration initialFetchTimeout,
      Runnable onClose) {}

  private final Settings settings;
  private final SerializingExecutor executor = new SerializingExecutor();
  private final TypeState<ClusterConfig> clusters = new TypeState<>(XdsResourceKinds.CLUSTER);
  private final TypeState<EndpointsConfig> endpoints = new TypeState<>(XdsResourceKinds.ENDPOINTS);
  private final TypeState<ListenerConfig> listeners = new TypeState<>(XdsResourceKinds.LISTENER);
  private final TypeState<RouteConfig> routes = new TypeState<>(XdsResourceKinds.ROUTE);
  private final List<TypeState<?>> types = List.of(clusters, endpoints, listeners, routes);
  private final Set<String> explicitListeners = new TreeSet<>();
  private final List<SnapshotWatcher> watchers = new CopyOnWriteArrayList<>();
  private final CompletableFuture<MeshSnapshot> firstComplete = new CompletableFuture<>();
  private final Set<String> warnedNacks = new HashSet<>();
  private final AdsStream.Events events = new AdsStream.Events() {
    @Override
    public void onResponse(AdsStream stream, AdsStream.Incoming response) {
      executor.execute(() -> handleResponse(stream, response));
    }

    @Override
    public void onClosed(AdsStream stream, Status status) {
      executor.execute(() -> handleClosed(stream, status));
    }
  };

  private volatile MeshSnapshot snapshot = MeshSnapshot.EMPTY;
  private volatile ConnectionState connection = ConnectionState.CONNECTING;
  private XdsProtocol activeProtocol;
  private AdsStream stream;
  private int failures;
  private MeshClock.Cancellable reconnect;
  private boolean started;
  private boolean closed;
  private boolean dirty;

  XdsClient(Settings settings) {
    this.settings = settings;
    this.activeProtocol = settings.protocol() == XdsProtocol.SOTW ? XdsProtocol.SOTW : XdsProtocol.DELTA;
    clusters.setWildcard(!settings.namedListeners());
    listeners.setWildcard(!settings.namedListeners());
  }

  public static XdsClient create(XdsClientOptions options) {
    return new XdsClient(options.settings());
  }

  /** Opens the ADS stream. */
  public void start() {
    executor.execute(() -> {
      if (!started && !closed) {
        started = true;
        connect();
      }
    });
  }

  /**
   * Subscribes to a listener by name (the grpc generator's shape: {@code host:port} for clients,
   * {@code xds.istio.io/grpc/lds/inbound/IP:PORT} for servers). Sidecar-shaped clients get every listener anyway.
   */
  public void watchListener(String name) {
    executor.execute(() -> {
      if (explicitListeners.add(name)) {
        updateSubscriptions();
        publishIfChanged();
      }
    });
  }

  public void unwatchListener(String name) {
    executor.execute(() -> {
      if (explicitListeners.remove(name)) {
        updateSubscriptions();
        publishIfChanged();
      }
    });
  }

  /** The current configuration; never null, {@link MeshSnapshot#EMPTY} before the first. */
  public MeshSnapshot snapshot() {
    return snapshot;
  }

  /** Completes with the first snapshot in which everything subscribed has arrived or is known to be missing. */
  public CompletableFuture<MeshSnapshot> whenComplete() {
    return firstComplete;
  }

  /** Registers a watcher; it is told the current snapshot first if there is one. */
  public void addWatcher(SnapshotWatcher watcher) {
    executor.execute(() -> {
      watchers.add(watcher);
      if (snapshot.version() > 0) {
        watcher.onSnapshot(snapshot);
      }
    });
  }

  public void removeWatcher(SnapshotWatcher watcher) {
    watchers.remove(watcher);
  }

  /** The agreement with the control plane per type, taken on the client's executor. */
  public XdsSyncState syncState() {
    if (executor.inContext()) {
      return buildSyncState(); // called from a watcher: already on the executor, so waiting would deadlock
    }
    CompletableFuture<XdsSyncState> result = new CompletableFuture<>();
    executor.execute(() -> result.complete(buildSyncState()));
    return result.join();
  }

  private XdsSyncState buildSyncState() {
    return new XdsSyncState(settings.serverName(), activeProtocol, connection,
        types.stream().map(TypeState::sync).collect(Collectors.toList()));
  }

  @Override
  public void close() {
    executor.execute(() -> {
      if (closed) {
        return;
      }
      closed = true;
      connection = ConnectionState.SHUTDOWN;
      if (reconnect != null) {
        reconnect.cancel();
      }
      types.forEach(TypeState::cancelAllTimers);
      AdsStream s = stream;
      stream = null;
      if (s != null) {
        s.close();
      }
      settings.onClose().run();
    });
  }

  // ---- stream lifecycle -------------------------------------------------------------------------------------------

  private void connect() {
    if (closed) {
      return;
    }
    reconnect = null;
    stream = activeProtocol == XdsProtocol.SOTW
        ? new SotwStream(settings.channel(), settings.node(), events)
        : new DeltaStream(settings.channel(), settings.node(), events);
    if (connection != ConnectionState.BACKING_OFF) {
      connection = ConnectionState.CONNECTING;
    }
    stream.start();
    updateSubscriptions();
    for (TypeState<?> state : types) {
      if (state.hasInterest()) {
        stream.subscribe(state);
        armTimers(state);
      }
    }
  }

  private void handleClosed(AdsStream closedStream, Status status) {
    if (closedStream != stream || closed) {
      return;
    }
    stream = null;
    types.forEach(TypeState::cancelAllTimers);
    if (closedStream.protocol() == XdsProtocol.DELTA && settings.protocol() == XdsProtocol.AUTO
        && status.getCode() == Status.Code.UNIMPLEMENTED && !closedStream.receivedResponse()) {
      log.info("xDS server {} does not implement Delta xDS; switching to state-of-the-world", settings.serverName());
      activeProtocol = XdsProtocol.SOTW;
      connect();
      return;
    }
    if (closedStream.receivedResponse()) {
      failures = 0;
    }
    failures++;
    Duration delay = settings.backoff().delay(failures, settings.random());
    if (connection != ConnectionState.BACKING_OFF) {
      log.warn("xDS stream to {} closed ({}); serving the last good configuration and reconnecting with backoff",
          settings.serverName(), describe(status));
      connection = ConnectionState.BACKING_OFF;
    } else {
      log.debug("xDS stream to {} still down ({}); retry {} in {}", settings.serverName(), describe(status),
          failures, delay);
    }
    reconnect = settings.clock().schedule(() -> executor.execute(this::connect), delay);
  }

  private static String describe(Status status) {
    return status.getDescription() == null ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }

  // ---- responses --------------------------------------------------------------------------------------------------

  private void handleResponse(AdsStream from, AdsStream.Incoming response) {
    if (from != stream || closed) {
      return;
    }
    if (connection != ConnectionState.CONNECTED) {
      if (connection == ConnectionState.BACKING_OFF) {
        log.info("xDS stream to {} re-established", settings.serverName());
      }
      connection = ConnectionState.CONNECTED;
    }
    TypeState<?> state = stateFor(response.typeUrl());
    if (state == null || !state.hasInterest()) {
      log.warn("xDS server {} sent resources of unsubscribed type {}; ignoring them", settings.serverName(),
          response.typeUrl());
      return;
    }
    apply(state, from, response);
    updateSubscriptions();
    publishIfChanged();
  }

  private TypeState<?> stateFor(String typeUrl) {
    for (TypeState<?> state : types) {
      if (state.kind.typeUrl().equals(typeUrl)) {
        return state;
      }
    }
    return null;
  }

  private <T> void apply(TypeState<T> state, AdsStream from, AdsStream.Incoming response) {
    boolean delta = from.protocol() == XdsProtocol.DELTA;
    List<String> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean unreadable = false;
    for (AdsStream.IncomingResource resource : response.resources()) {
      String version = delta ? resource.version() : response.versionInfo();
      ParseResult<T> result = state.kind.parser().parse(resource.body());
      if (result instanceof ParseResult.Valid<T> valid) {
        seen.add(valid.name());
        if (state.wants(valid.name())) {
          dirty |= state.putValid(valid.name(), valid.resource(), version);
        }
      } else if (result instanceof ParseResult.Invalid<T> invalid) {
        seen.add(invalid.name());
        if (state.wants(invalid.name())) {
          errors.add(invalid.error());
          state.putInvalid(invalid.name(), invalid.error(), version);
          warnOnce(state, invalid.name(), version, invalid.error());
        }
      } else if (result instanceof ParseResult.Unreadable<T> bad) {
        unreadable = true;
        errors.add(bad.error());
        warnOnce(state, "?", version, bad.error());
      }
    }
    if (delta) {
      for (String name : response.removed()) {
        if (state.entry(name).isPresent()) {
          dirty |= state.markAbsent(name, ResourceStatus.REMOVED);
        }
      }
    } else if (state.kind.fullStateInSotw() && !unreadable) {
      // A full-state response lists everything: what it lacks is gone (or, if never seen, does not exist).
      for (Map.Entry<String, TypeState.Entry<T>> e : List.copyOf(state.entries().entrySet())) {
        if (!seen.contains(e.getKey())) {
          boolean hadValue = e.getValue().value().isPresent();
          dirty |= state.markAbsent(e.getKey(), hadValue ? ResourceStatus.REMOVED : ResourceStatus.DOES_NOT_EXIST);
        }
      }
    }
    if (errors.isEmpty()) {
      state.recordAck(response.versionInfo(), response.nonce(), settings.clock().now());
      from.ack(state, response.nonce());
    } else {
      String detail = String.join("\n", errors);
      state.recordNack(response.versionInfo(), response.nonce(), detail, settings.clock().now());
      from.nack(state, response.nonce(), detail);
    }
    state.cancelTimer(WILDCARD_TIMER);
  }

  private void warnOnce(TypeState<?> state, String name, String version, String error) {
    if (warnedNacks.size() > 10_000) {
      warnedNacks.clear();
    }
    if (warnedNacks.add(state.kind.kind() + "|" + name + "|" + version)) {
      log.warn("Rejected {} version '{}' from {}: {}", state.kind.kind(), version, settings.serverName(), error);
    }
  }

  // ---- subscriptions and timers -----------------------------------------------------------------------------------

  /** Recomputes the names each dependent type needs from what is in use now, and tells the server of changes. */
  private void updateSubscriptions() {
    if (settings.namedListeners()) {
      resubscribe(listeners, explicitListeners);
    }
    resubscribe(routes, union(listeners.values().values(), ListenerConfig::routeConfigNames));
    if (!clusters.wildcard()) {
      resubscribe(clusters, union(routes.values().values(), RouteConfig::clusterNames));
    }
    Set<String> eds = new TreeSet<>();
    clusters.values().values().forEach(c -> c.edsServiceName().ifPresent(eds::add));
    resubscribe(endpoints, eds);
  }

  private void resubscribe(TypeState<?> state, Set<String> names) {
    if (state.names().equals(names)) {
      return;
    }
    dirty |= state.setNames(names);
    if (stream != null) {
      stream.subscribe(state);
      armTimers(state);
    }
  }

  private static <T> Set<String> union(Iterable<T> items, Function<T, Set<String>> names) {
    Set<String> out = new LinkedHashSet<>();
    for (T item : items) {
      out.addAll(names.apply(item));
    }
    return new TreeSet<>(out);
  }

  private void armTimers(TypeState<?> state) {
    Duration timeout = settings.initialFetchTimeout();
    if (state.wildcard()) {
      if (!state.typeResolved() && !state.hasTimer(WILDCARD_TIMER)) {
        state.armTimer(WILDCARD_TIMER, settings.clock().schedule(
            () -> executor.execute(() -> wildcardTimedOut(state)), timeout));
      }
      return;
    }
    for (String name : state.unresolvedNames()) {
      if (!state.hasTimer(name)) {
        state.armTimer(name, settings.clock().schedule(
            () -> executor.execute(() -> fetchTimedOut(state, name)), timeout));
      }
    }
  }

  private void fetchTimedOut(TypeState<?> state, String name) {
    if (closed || !state.hasTimer(name)) {
      return;
    }
    state.cancelTimer(name);
    if (state.unresolvedNames().contains(name)) {
      log.warn("{} '{}' did not arrive from {} within {}; treating it as does-not-exist", state.kind.kind(), name,
          settings.serverName(), settings.initialFetchTimeout());
      state.markAbsent(name, ResourceStatus.DOES_NOT_EXIST);
      publishIfChanged();
    }
  }

  private void wildcardTimedOut(TypeState<?> state) {
    if (closed || !state.hasTimer(WILDCARD_TIMER)) {
      return;
    }
    state.cancelTimer(WILDCARD_TIMER);
    if (!state.typeResolved()) {
      log.warn("No {} resources arrived from {} within {}", state.kind.kind(), settings.serverName(),
          settings.initialFetchTimeout());
      state.markTypeResolved();
      publishIfChanged();
    }
  }

  // ---- publishing -------------------------------------------------------------------------------------------------

  /**
   * Publishes a new snapshot when a resource in use changed ({@code dirty}, set from per-resource equality, so an
   * identical update publishes nothing) or when the snapshot became complete.
   */
  private void publishIfChanged() {
    MeshSnapshot current = snapshot;
    boolean complete = isComplete();
    if (!dirty && complete == current.complete()) {
      return;
    }
    dirty = false;
    MeshSnapshot next = SnapshotAssembler.assemble(current, listeners.values(), routes.values(),
        clusters.values(), endpoints.values(), complete);
    snapshot = next;
    for (SnapshotWatcher watcher : watchers) {
      try {
        watcher.onSnapshot(next);
      } catch (RuntimeException e) {
        log.error("Snapshot watcher {} failed", watcher, e);
      }
    }
    if (next.complete()) {
      firstComplete.complete(next);
    }
  }

  private boolean isComplete() {
    for (TypeState<?> state : types) {
      if (state.wildcard() ? !state.typeResolved() : state.hasUnresolvedNames()) {
        return false;
      }
    }
    return true;
  }
}
