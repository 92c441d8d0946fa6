package dev.inboard.mesh.agent.server;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One snapshot per node id in java-control-plane's cache. Each type's version is a digest of its resources, so a
 * version changes exactly when that type's content does, and publishing unchanged xDS does nothing.
 */
final class SnapshotPublisher {
  private final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
  private final Map<String, GeneratedXds> served = new ConcurrentHashMap<>();

  SimpleCache<String> cache() {
    return cache;
  }

  /** Serves {@code xds} to {@code nodeId}; false when it is what the node already has. */
  boolean publish(String nodeId, GeneratedXds xds) {
    if (xds.equals(served.get(nodeId))) {
      return false;
    }
    cache.setSnapshot(nodeId, Snapshot.create(
        xds.clusters(), version(xds.clusters()),
        xds.endpoints(), version(xds.endpoints()),
        xds.listeners(), version(xds.listeners()),
        xds.routes(), version(xds.routes()),
        List.of(), ""));
    served.put(nodeId, xds);
    return true;
  }

  /** What {@code nodeId} is served, if it is connected. */
  Optional<GeneratedXds> served(String nodeId) {
    return Optional.ofNullable(served.get(nodeId));
  }

  Optional<Snapshot> snapshot(String nodeId) {
    return Optional.ofNullable(cache.getSnapshot(nodeId));
  }

  /** The version of one type in the snapshot served to {@code nodeId}. */
  Optional<String> servedVersion(String nodeId, String typeUrl) {
    Snapshot snapshot = cache.getSnapshot(nodeId);
    return snapshot == null ? Optional.empty() : Optional.of(snapshot.version(typeUrl));
  }

  /** Drops the snapshot of a node that is gone. */
  void forget(String nodeId) {
    served.remove(nodeId);
    cache.clearSnapshot(nodeId);
  }

  /** A short digest of resources in order: type, then deterministic bytes, of each. */
  static String version(List<? extends Message> resources) {
    MessageDigest digest = sha256();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Message resource : resources) {
      bytes.reset();
      try {
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        resource.writeTo(out);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      digest.update(resource.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
      digest.update(intBytes(bytes.size()));
      digest.update(bytes.toByteArray());
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  private static byte[] intBytes(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
