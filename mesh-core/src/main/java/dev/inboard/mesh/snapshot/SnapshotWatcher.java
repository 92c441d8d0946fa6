package dev.inboard.mesh.snapshot;

/**
 * Told once per published change, in order, on the xDS client's executor: implementations must be quick and must
 * not block (hand heavy work to another executor).
 */
@FunctionalInterface
public interface SnapshotWatcher {
  void onSnapshot(MeshSnapshot snapshot);
}
