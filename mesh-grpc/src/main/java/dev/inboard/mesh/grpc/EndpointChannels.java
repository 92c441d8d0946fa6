package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.SocketAddress;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One grpc-java channel per upstream endpoint address, created on first use and shared by every call the mesh
 * sends there. Each is a plain single-address channel: the engine picks the host, the endpoint channel only owns
 * the HTTP/2 connection to it (connecting, reconnecting, multiplexing). Channels of endpoints that left the
 * configuration are closed when a new snapshot arrives ({@link #retainOnly}).
 */
final class EndpointChannels {
  private final Map<SocketAddress, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Function<SocketAddress, ManagedChannel> factory;
  private volatile boolean shutdown;

  EndpointChannels(Function<SocketAddress, ManagedChannel> factory) {
    this.factory = factory;
  }

  ManagedChannel get(SocketAddress address) {
    if (shutdown) {
      throw new IllegalStateException("mesh channel is shut down");
    }
    return channels.computeIfAbsent(address, factory);
  }

  /**
   * Shuts down (gracefully: calls in flight finish) the channels of addresses no longer among {@code live}, the
   * endpoints of the current configuration.
   */
  void retainOnly(Set<SocketAddress> live) {
    for (SocketAddress address : List.copyOf(channels.keySet())) {
      if (!live.contains(address)) {
        ManagedChannel gone = channels.remove(address);
        if (gone != null) {
          gone.shutdown();
        }
      }
    }
  }

  int size() {
    return channels.size();
  }

  void shutdown() {
    shutdown = true;
    channels.values().forEach(ManagedChannel::shutdown);
  }

  void shutdownNow() {
    shutdown = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  boolean isTerminated() {
    return channels.values().stream().allMatch(ManagedChannel::isTerminated);
  }

  boolean awaitTermination(long deadlineNanos) throws InterruptedException {
    for (ManagedChannel c : List.copyOf(channels.values())) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0 || !c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }
}
