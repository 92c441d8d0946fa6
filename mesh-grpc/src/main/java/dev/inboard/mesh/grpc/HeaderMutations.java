package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.HeaderMutation;
import io.grpc.Metadata;
import java.util.List;

/**
 * Applies a route's header mutations to gRPC metadata, each removing then adding, as Envoy does. Pseudo-headers,
 * {@code -bin} names and values holding Envoy's {@code %VAR%} format specifiers are skipped: the channel does not
 * evaluate access-log formatters.
 */
final class HeaderMutations {
  private HeaderMutations() {}

  /** Request headers that only instruct the router; they are consumed here, never sent upstream. */
  private static final List<String> ROUTER_ONLY = List.of("x-envoy-upstream-rq-timeout-ms",
      "x-envoy-upstream-rq-per-try-timeout-ms");

  /** Removes the headers addressed to the router itself. */
  static void removeRouterHeaders(Metadata metadata) {
    ROUTER_ONLY.forEach(name -> metadata.removeAll(key(name)));
  }

  static void apply(List<HeaderMutation> mutations, Metadata metadata) {
    for (HeaderMutation mutation : mutations) {
      for (String name : mutation.remove()) {
        if (settable(name)) {
          metadata.removeAll(key(name));
        }
      }
      for (HeaderMutation.HeaderValue h : mutation.add()) {
        if (!settable(h.key()) || h.value().contains("%") || (h.value().isEmpty() && !h.keepEmptyValue())) {
          continue;
        }
        Metadata.Key<String> key = key(h.key());
        boolean present = metadata.containsKey(key);
        switch (h.appendAction()) {
          case APPEND_IF_EXISTS_OR_ADD -> metadata.put(key, h.value());
          case ADD_IF_ABSENT -> {
            if (!present) {
              metadata.put(key, h.value());
            }
          }
          case OVERWRITE_IF_EXISTS_OR_ADD -> {
            metadata.removeAll(key);
            metadata.put(key, h.value());
          }
          case OVERWRITE_IF_EXISTS -> {
            if (present) {
              metadata.removeAll(key);
              metadata.put(key, h.value());
            }
          }
        }
      }
    }
  }

  private static boolean settable(String name) {
    return !name.startsWith(":") && !name.endsWith(Metadata.BINARY_HEADER_SUFFIX) && !name.equals("content-type")
        && !name.equals("te") && !name.startsWith("grpc-");
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
