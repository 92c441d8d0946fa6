package dev.inboard.mesh.grpc;

import dev.inboard.mesh.routing.HeaderEditor;
import dev.inboard.mesh.config.HeaderMutation;
import io.grpc.Metadata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A route's header mutations on gRPC metadata, through the mesh's {@link HeaderEditor}; pseudo-headers, {@code -bin}
 * names and the headers gRPC itself owns ({@code content-type}, {@code te}, {@code grpc-*}) are left alone.
 */
final class HeaderMutations {
  private static final int MAX_KEYS = 4096;
  private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

  private HeaderMutations() {}

  /** Removes the headers addressed to the router itself. */
  static void removeRouterHeaders(Metadata metadata) {
    HeaderEditor.removeRouterHeaders(target(metadata));
  }

  static void apply(List<HeaderMutation> mutations, Metadata metadata) {
    HeaderEditor.apply(mutations, target(metadata));
  }

  /** Metadata as the mesh's header editor sees it; names gRPC owns are never touched. */
  private static HeaderEditor.Target target(Metadata metadata) {
    return new HeaderEditor.Target() {
      @Override
      public boolean contains(String name) {
        return settable(name) && metadata.containsKey(key(name));
      }

      @Override
      public void removeAll(String name) {
        if (settable(name)) {
          metadata.removeAll(key(name));
        }
      }

      @Override
      public void add(String name, String value) {
        if (settable(name)) {
          metadata.put(key(name), value);
        }
      }
    };
  }

  private static boolean settable(String name) {
    return !name.startsWith(":") && !name.endsWith(Metadata.BINARY_HEADER_SUFFIX) && !name.equals("content-type")
        && !name.equals("te") && !name.startsWith("grpc-");
  }

  /**
   * The ASCII metadata key of {@code name}, made once per name: names come from the router's own list and the
   * routes' configuration, so the cache stays as small as the configuration.
   */
  static Metadata.Key<String> key(String name) {
    Metadata.Key<String> key = KEYS.get(name);
    if (key == null) {
      key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
      if (KEYS.size() < MAX_KEYS) {
        KEYS.putIfAbsent(name, key);
      }
    }
    return key;
  }
}
