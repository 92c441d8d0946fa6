package dev.inboard.mesh.engine;

import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.routing.CompiledRouteTable;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RouteDecision;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.snapshot.SnapshotWatcher;
import dev.inboard.mesh.upstream.UpstreamCluster;
import dev.inboard.mesh.upstream.UpstreamRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The compiled runtime of the current snapshot and the outbound decision for one request: which route table
 * applies (the listener for the destination, as Envoy picks it), what the router decides, and which upstream host
 * gets the request. Route tables are recompiled only when their configuration changed; upstream state (circuit
 * breakers, outlier detection, load-balancer state) lives in an {@link UpstreamRegistry} that survives snapshots.
 * Register it as a {@link SnapshotWatcher} of the xDS client.
 */
public final class TrafficEngine implements SnapshotWatcher, AutoCloseable {

  /** What to do with a request. */
  public sealed interface Decision {
    /**
     * Send it to {@code host} of {@code cluster}, as {@code route} says. {@code countedFault}: the request holds one
     * of the fault filter's active-fault places; tell the engine {@link TrafficEngine#finished} when it ends.
     */
    record Send(RouteDecision.Forward route, UpstreamCluster cluster, Host host, boolean countedFault)
        implements Decision {}

    /** Answer locally (redirect, direct response, non-forwarding) without an upstream. */
    record Respond(RouteDecision route) implements Decision {}

    /** Fail with Envoy's response flag and a reason. */
    record Fail(Failure failure) implements Decision {}
  }

  /**
   * One snapshot's runtime. {@code byListener}: the table of each listener that names one over RDS (absent when
   * the named table is), resolved once per snapshot; {@code byPort}: the port fallback, resolved on first use, so
   * that finding a request's table costs map lookups, not a walk of the listener's filter chains.
   */
  private record Compiled(MeshSnapshot snapshot, Map<String, CompiledRouteTable> tables,
      Map<String, Optional<CompiledRouteTable>> byListener, Map<Integer, Optional<CompiledRouteTable>> byPort) {

    Compiled(MeshSnapshot snapshot, Map<String, CompiledRouteTable> tables) {
      this(snapshot, tables, byListener(snapshot, tables), new ConcurrentHashMap<>());
    }

    private static Map<String, Optional<CompiledRouteTable>> byListener(MeshSnapshot snapshot,
        Map<String, CompiledRouteTable> tables) {
      Map<String, Optional<CompiledRouteTable>> out = new HashMap<>();
      snapshot.listeners().forEach((name, listener) -> rdsName(listener)
          .ifPresent(rds -> out.put(name, Optional.ofNullable(tables.get(rds)))));
      return Map.copyOf(out);
    }

    /** The sidecar's outbound listener {@code 0.0.0.0_PORT}'s table, else the table named by the port. */
    Optional<CompiledRouteTable> forPort(int port) {
      Optional<CompiledRouteTable> known = byPort.get(port);
      if (known != null) {
        return known;
      }
      Optional<CompiledRouteTable> table = Optional.ofNullable(byListener.get("0.0.0.0_" + port))
          .orElseGet(() -> Optional.ofNullable(tables.get(String.valueOf(port))));
      byPort.putIfAbsent(port, table);
      return table;
    }
  }

  private final RandomGenerator random;
  private final UpstreamRegistry upstreams;
  private final java.util.concurrent.atomic.AtomicInteger activeFaults = new java.util.concurrent.atomic.AtomicInteger();
  private volatile Compiled compiled = new Compiled(MeshSnapshot.EMPTY, Map.of());

  public TrafficEngine(MeshClock clock, RandomGenerator random) {
    this.random = random;
    this.upstreams = new UpstreamRegistry(clock, random);
  }

  @Override
  public void onSnapshot(MeshSnapshot snapshot) {
    upstreams.apply(snapshot);
    Compiled previous = compiled;
    Map<String, CompiledRouteTable> tables = new HashMap<>();
    snapshot.routes().forEach((name, config) -> {
      CompiledRouteTable old = previous.tables().get(name);
      tables.put(name, old != null && old.config().equals(config) ? old : CompiledRouteTable.compile(config));
    });
    compiled = new Compiled(snapshot, Map.copyOf(tables));
  }

  /**
   * The route table for a request to {@code authority} on {@code port}: the grpc generator's {@code host:port}
   * API listener, else the sidecar's outbound listener {@code 0.0.0.0_PORT}, else the table named by the port.
   */
  public Optional<CompiledRouteTable> routeTable(String authority, int port) {
    Compiled c = compiled;
    Optional<CompiledRouteTable> byAuthority = c.byListener().get(authority);
    return byAuthority != null ? byAuthority : c.forPort(port);
  }

  private static Optional<String> rdsName(ListenerConfig listener) {
    Optional<String> api = listener.apiListener().flatMap(HttpConnectionManagerConfig::rdsName);
    if (api.isPresent()) {
      return api;
    }
    return listener.httpConnectionManagers().stream().map(HttpConnectionManagerConfig::rdsName)
        .flatMap(Optional::stream).findFirst();
  }

  /** The router's decision for a request to {@code port} (NR when nothing routes it). */
  public RouteDecision route(RequestInfo request, int port) {
    return routeTable(request.authority(), port)
        .map(table -> table.decide(request, random))
        .orElseGet(() -> new RouteDecision.Rejected(new Failure(ResponseFlag.NR, 404,
            "no route table for " + request.authority() + " on port " + port)));
  }

  /** The whole outbound decision: route, then an upstream host of the chosen cluster. */
  public Decision decide(RequestInfo request, int port) {
    RouteDecision route = route(request, port);
    if (route instanceof RouteDecision.Rejected rejected) {
      return new Decision.Fail(rejected.failure());
    }
    if (!(route instanceof RouteDecision.Forward forward)) {
      return new Decision.Respond(route);
    }
    Optional<UpstreamCluster> cluster = upstreams.cluster(forward.cluster());
    if (cluster.isEmpty()) {
      return new Decision.Fail(new Failure(ResponseFlag.NC, 503, "cluster not found: " + forward.cluster()));
    }
    PickResult pick = cluster.get().pick(forward.pickRequest());
    if (pick instanceof PickResult.NoHost none) {
      return new Decision.Fail(none.failure());
    }
    boolean counted = false;
    if (forward.fault().isPresent() && forward.fault().get().maxActiveFaults().isPresent()) {
      int max = forward.fault().get().maxActiveFaults().get();
      if (activeFaults.incrementAndGet() > max) {
        activeFaults.decrementAndGet();
        forward = forward.withoutFault(); // Envoy injects no fault while max_active_faults are in progress
      } else {
        counted = true;
      }
    }
    return new Decision.Send(forward, cluster.get(), (Host) pick, counted);
  }

  /** The runtime of a cluster, e.g. a mirror policy's target, when the current configuration has it. */
  public Optional<UpstreamCluster> cluster(String name) {
    return upstreams.cluster(name);
  }

  /** A sent request ended: releases what {@link #decide} took for it (an active-fault place). */
  public void finished(Decision.Send send) {
    if (send.countedFault()) {
      activeFaults.decrementAndGet();
    }
  }

  /** Faulted requests in progress, against the fault filter's {@code max_active_faults}. */
  public int activeFaults() {
    return activeFaults.get();
  }

  /** The snapshot the engine runs on. */
  public MeshSnapshot snapshot() {
    return compiled.snapshot();
  }

  @Override
  public void close() {
    upstreams.close();
  }
}
