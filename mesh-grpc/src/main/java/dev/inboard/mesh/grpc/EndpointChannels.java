package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.SocketAddress;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One grpc-java channel per upstream endpoint address, created on first use and shared by every call the mesh
 * sends there. Each is a plain single-address channel: the engine picks the host, the endpoint channel only owns
 * the HTTP/2 connection to it (connecting, reconnecting, multiplexing).
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
