package dev.inboard.mesh.grpc;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.snapshot.SnapshotWatcher;
import dev.inboard.mesh.xds.XdsClient;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * A channel to one mesh destination whose every call the traffic engine routes on its own: the route (header
 * matches, weighted clusters), the upstream host, the timeout, retries, faults and circuit breaking are decided per
 * RPC, then the call goes to the chosen endpoint over a shared {@link EndpointChannels} connection.
 *
 * <p>This is a {@link io.grpc.Channel} of its own rather than a grpc-java NameResolver and LoadBalancer: the engine
 * already makes Envoy's whole decision (route, cluster, host) from the call's method and metadata, which a load
 * balancer sees only in part, and routing per call needs no detour through grpc-java's config selector. The
 * connections to endpoints stay grpc-java's, one single-address channel per endpoint.
 */
public final class MeshChannel extends ManagedChannel {
  private final MeshTarget target;
  private final TrafficEngine engine;
  /** Shared by calls on many threads, hence thread-safe: the caller-thread-local generator. */
  private final RandomGenerator random;
  private final EndpointChannels endpoints;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService callbackExecutor;
  private final XdsClient xds;
  private final SnapshotWatcher pruner;
  private volatile boolean shutdown;

  MeshChannel(MeshTarget target, Mesh mesh, RandomGenerator random, EndpointChannels endpoints) {
    this.target = target;
    this.engine = mesh.engine();
    this.xds = mesh.xds();
    this.random = random;
    this.endpoints = endpoints;
    this.pruner = snapshot -> endpoints.retainOnly(liveAddresses(snapshot));
    xds.addWatcher(pruner);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("inboard-grpc-timer"));
    this.callbackExecutor = Executors.newCachedThreadPool(daemon("inboard-grpc-callback"));
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static Set<SocketAddress> liveAddresses(MeshSnapshot snapshot) {
    Set<SocketAddress> live = new HashSet<>();
    for (EndpointsConfig eps : snapshot.endpoints().values()) {
      for (EndpointsConfig.LocalityEndpoints locality : eps.localities()) {
        locality.endpoints().forEach(e -> live.add(e.address()));
      }
    }
    return live;
  }

  public MeshTarget target() {
    return target;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions) {
    return new MeshClientCall<>(this, method, callOptions);
  }

  @Override
  public String authority() {
    return target.authority();
  }

  TrafficEngine engine() {
    return engine;
  }

  RandomGenerator random() {
    return random;
  }

  EndpointChannels endpoints() {
    return endpoints;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService callbackExecutor() {
    return callbackExecutor;
  }

  boolean isShutdownRequested() {
    return shutdown;
  }

  @Override
  public ManagedChannel shutdown() {
    shutdown = true;
    xds.removeWatcher(pruner);
    endpoints.shutdown();
    scheduler.shutdown();
    callbackExecutor.shutdown();
    return this;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && endpoints.isTerminated() && scheduler.isTerminated() && callbackExecutor.isTerminated();
  }

  @Override
  public ManagedChannel shutdownNow() {
    shutdown = true;
    xds.removeWatcher(pruner);
    endpoints.shutdownNow();
    scheduler.shutdownNow();
    callbackExecutor.shutdownNow();
    return this;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    return endpoints.awaitTermination(deadline)
        && scheduler.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        && callbackExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "MeshChannel{" + target + "}";
  }
}
