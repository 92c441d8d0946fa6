package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import dev.inboard.mesh.agent.xdsgen.ProxyView;
import dev.inboard.mesh.agent.xdsgen.ProxyXdsGenerator;
import dev.inboard.mesh.agent.xdsgen.PushContext;
import dev.inboard.mesh.bootstrap.NodeInfo;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected proxies (by node id) and their xDS: generates it for one proxy or all of them and publishes what
 * changed. A proxy whose generation fails keeps what it was last served. Used on the control loop only.
 */
final class ProxyPusher {
  private static final Logger log = LoggerFactory.getLogger(ProxyPusher.class);

  private static final class Connected {
    ProxyView view;
    final Set<Long> streams = new LinkedHashSet<>();

    Connected(ProxyView view) {
      this.view = view;
    }
  }

  private final ProxyXdsGenerator generator;
  private final SnapshotPublisher publisher;
  private final Map<String, Connected> proxies = new TreeMap<>();
  private final Map<String, String> generationErrors = new ConcurrentHashMap<>();
  private long pushes;

  ProxyPusher(ProxyXdsGenerator generator, SnapshotPublisher publisher) {
    this.generator = generator;
    this.publisher = publisher;
  }

  /** A stream of {@code node} connected; its latest node is the one generated for. */
  void connected(long streamId, NodeInfo node) {
    ProxyView view = ProxyView.of(node);
    Connected c = proxies.computeIfAbsent(node.id(), id -> new Connected(view));
    c.view = view;
    c.streams.add(streamId);
  }

  /** A stream closed; the proxy is gone, and its snapshot dropped, with its last stream. */
  void disconnected(long streamId, String nodeId) {
    Connected c = proxies.get(nodeId);
    if (c == null) {
      return;
    }
    c.streams.remove(streamId);
    if (c.streams.isEmpty()) {
      proxies.remove(nodeId);
      generationErrors.remove(nodeId);
      publisher.forget(nodeId);
    }
  }

  /** Generates and publishes for one connected proxy; true when what it is served changed. */
  boolean push(String nodeId, PushContext context) {
    Connected c = proxies.get(nodeId);
    if (c == null) {
      return false;
    }
    GeneratedXds xds;
    try {
      xds = generator.generate(c.view, context);
      generationErrors.remove(nodeId);
    } catch (RuntimeException e) {
      String reason = e.getMessage() != null ? e.getMessage() : e.toString();
      if (!reason.equals(generationErrors.put(nodeId, reason))) {
        log.warn("cannot generate xDS for {}; it keeps what it has: {}", nodeId, reason, e);
      }
      return false;
    }
    return publisher.publish(nodeId, xds);
  }

  /** Generates for every connected proxy; returns how many were served something new. */
  int pushAll(PushContext context) {
    pushes++;
    int changed = 0;
    for (String nodeId : proxies.keySet()) {
      if (push(nodeId, context)) {
        changed++;
      }
    }
    log.debug("push {}: {} of {} proxies changed", pushes, changed, proxies.size());
    return changed;
  }

  Optional<String> generationError(String nodeId) {
    return Optional.ofNullable(generationErrors.get(nodeId));
  }

  Optional<ProxyView> view(String nodeId) {
    Connected c = proxies.get(nodeId);
    return c == null ? Optional.empty() : Optional.of(c.view);
  }
}
