package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.registry.WorkloadInstance;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.clock.MeshClock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Workloads registered by connecting, keyed by node id. A workload stays while any of its streams is open and for
 * a grace period after the last one closes; a reconnect within the grace keeps it. Mutated on the control loop.
 */
final class AutoRegistry {
  private static final Comparator<WorkloadInstance> ORDER = Comparator.comparing(WorkloadInstance::namespace)
      .thenComparing(WorkloadInstance::name)
      .thenComparing(WorkloadInstance::address);

  private static final class Entry {
    Optional<WorkloadInstance> instance = Optional.empty();
    int streams;
    MeshClock.@Nullable Cancellable removal;
  }

  private final Map<String, Entry> byNode = new HashMap<>();
  private final MeshClock clock;
  private final Duration grace;
  private final Executor loop;
  private final Runnable onChange;
  private volatile List<WorkloadInstance> workloads = List.of();

  AutoRegistry(MeshClock clock, Duration grace, Executor loop, Runnable onChange) {
    this.clock = clock;
    this.grace = grace;
    this.loop = loop;
    this.onChange = onChange;
  }

  /** A stream of {@code nodeId} connected; registers (or updates) its workload. */
  void opened(String nodeId, NodeInfo node) {
    Entry e = byNode.computeIfAbsent(nodeId, id -> new Entry());
    e.streams++;
    if (e.removal != null) {
      e.removal.cancel();
      e.removal = null;
    }
    Optional<WorkloadInstance> instance = WorkloadInstances.fromNode(node);
    if (!instance.equals(e.instance)) {
      e.instance = instance;
      changed();
    }
  }

  /** A stream of {@code nodeId} closed; after the last one, the workload goes once the grace has passed. */
  void closed(String nodeId) {
    Entry e = byNode.get(nodeId);
    if (e == null || --e.streams > 0) {
      return;
    }
    if (grace.isZero()) {
      expire(nodeId, e);
    } else {
      e.removal = clock.schedule(() -> loop.execute(() -> expire(nodeId, e)), grace);
    }
  }

  private void expire(String nodeId, Entry e) {
    if (byNode.get(nodeId) != e || e.streams > 0) {
      return; // reconnected within the grace
    }
    byNode.remove(nodeId);
    if (e.instance.isPresent()) {
      changed();
    }
  }

  private void changed() {
    workloads = byNode.values().stream().flatMap(e -> e.instance.stream()).sorted(ORDER).toList();
    onChange.run();
  }

  /** The registered workloads, in a stable order; safe from any thread. */
  List<WorkloadInstance> workloads() {
    return workloads;
  }

  Optional<WorkloadInstance> workloadOf(String nodeId) {
    Entry e = byNode.get(nodeId);
    return e == null ? Optional.empty() : e.instance;
  }
}
