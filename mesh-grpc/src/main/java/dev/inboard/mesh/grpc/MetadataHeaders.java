package dev.inboard.mesh.grpc;

import dev.inboard.mesh.routing.Headers;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The request headers routing sees for a gRPC call: the call's ASCII metadata (binary {@code -bin} entries are not
 * matchable), plus the headers the transport would add ({@code content-type: application/grpc}, {@code te}, and
 * {@code grpc-timeout} when the call has a deadline).
 */
final class MetadataHeaders {
  private MetadataHeaders() {}

  static Headers of(Metadata metadata, @Nullable Deadline deadline) {
    Map<String, List<String>> map = new HashMap<>();
    for (String key : metadata.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        continue;
      }
      Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
      List<String> list = new ArrayList<>();
      if (values != null) {
        values.forEach(list::add);
      }
      map.put(key, list);
    }
    map.put("content-type", List.of("application/grpc"));
    map.put("te", List.of("trailers"));
    if (deadline != null) {
      long nanos = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
      map.put("grpc-timeout", List.of(grpcTimeout(nanos)));
    }
    return Headers.of(map);
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
    return "/" + method.getFullMethodName();
  }
}
