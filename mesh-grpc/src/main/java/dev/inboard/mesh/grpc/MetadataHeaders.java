package dev.inboard.mesh.grpc;

import dev.inboard.mesh.routing.Headers;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The request headers routing sees for a gRPC call: the call's ASCII metadata (binary {@code -bin} entries are not
 * matchable), plus the headers the transport would add ({@code content-type: application/grpc}, {@code te}, and
 * {@code grpc-timeout} when the call has a deadline).
 */
final class MetadataHeaders {
  private static final int MAX_PATHS = 4096;
  /** {@code :path} by full method name: a channel's calls use a handful of methods, each over and over. */
  private static final Map<String, String> PATHS = new ConcurrentHashMap<>();
  private MetadataHeaders() {}

  /**
   * A view of {@code metadata} read when routing asks for a header, so that a call whose routes match on no
   * header copies nothing. Metadata keys are lower-case already, as the routing lookups are.
   */
  static Headers of(Metadata metadata, @Nullable Deadline deadline) {
    return new View(metadata, deadline);
  }

  private record View(Metadata metadata, @Nullable Deadline deadline) implements Headers {
    @Override
    public @Nullable String first(String lowerName) {
      String fixed = transportHeader(lowerName);
      if (fixed != null) {
        return fixed;
      }
      Metadata.Key<String> key = key(lowerName);
      Iterable<String> values = key == null ? null : metadata.getAll(key);
      return values == null ? null : values.iterator().next(); // Metadata.get would give the last one
    }

    @Override
    public List<String> all(String lowerName) {
      String fixed = transportHeader(lowerName);
      if (fixed != null) {
        return List.of(fixed);
      }
      Metadata.Key<String> key = key(lowerName);
      Iterable<String> values = key == null ? null : metadata.getAll(key);
      if (values == null) {
        return List.of();
      }
      List<String> list = new ArrayList<>(2);
      values.forEach(list::add);
      return list;
    }

    /** The value the transport sends for {@code name} whatever the metadata says, or null. */
    private @Nullable String transportHeader(String name) {
      return switch (name) {
        case "content-type" -> "application/grpc";
        case "te" -> "trailers";
        case "grpc-timeout" -> deadline == null ? null
            : grpcTimeout(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
        default -> null;
      };
    }

    /** The ASCII key of {@code name}; null for binary ({@code -bin}) and pseudo-header names, never matchable. */
    private static Metadata.@Nullable Key<String> key(String name) {
      if (name.isEmpty() || name.startsWith(":") || name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        return null;
      }
      try {
        return HeaderMutations.key(name);
      } catch (IllegalArgumentException e) {
        return null; // not a valid header name: no metadata entry can have it
      }
    }
  }

  /** The {@code grpc-timeout} value: at most eight digits, in the finest unit that fits. */
  static String grpcTimeout(long nanos) {
    long max = 99_999_999L;
    if (nanos <= max) {
      return nanos + "n";
    }
    if (nanos / 1_000 <= max) {
      return nanos / 1_000 + "u";
    }
    if (nanos / 1_000_000 <= max) {
      return nanos / 1_000_000 + "m";
    }
    if (nanos / 1_000_000_000 <= max) {
      return nanos / 1_000_000_000 + "S";
    }
    return Math.min(max, nanos / 60_000_000_000L) + "M";
  }

  /** The {@code :path} of a method: {@code /pkg.Service/Method}. */
  static String path(MethodDescriptor<?, ?> method) {
    String path = PATHS.get(method.getFullMethodName());
    if (path == null) {
      path = "/" + method.getFullMethodName();
      if (PATHS.size() < MAX_PATHS) {
        PATHS.putIfAbsent(method.getFullMethodName(), path);
      }
    }
    return path;
  }
}
