package dev.inboard.mesh.routing;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What routing needs to know about one outbound request, free of any transport's types.
 *
 * @param method e.g. {@code GET}, {@code POST}
 * @param scheme {@code http} or {@code https} (Envoy's {@code :scheme} / {@code x-forwarded-proto})
 * @param authority the {@code :authority} (host header), possibly with a port: {@code reviews:9080}
 * @param path the {@code :path}, with its query string: {@code /reviews/1?x=y}
 * @param headers lower-case names
 * @param sourceIp the downstream address (the application's own, for a proxyless client); null when unknown. Feeds
 *     the {@code connection_properties} hash policy
 * @param sourcePort the downstream port, 0 when unknown
 */
public record RequestInfo(
    String method,
    String scheme,
    String authority,
    String path,
    Headers headers,
    @Nullable String sourceIp,
    int sourcePort) {

  public RequestInfo {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
  }

  /** A request without a known source address. */
  public static RequestInfo of(String method, String scheme, String authority, String path, Headers headers) {
    return new RequestInfo(method, scheme, authority, path, headers, null, 0);
  }

  /** Whether the request is gRPC: its content type is {@code application/grpc} or {@code application/grpc+...}. */
  public boolean isGrpc() {
    String contentType = headers.first("content-type");
    if (contentType == null || !contentType.startsWith("application/grpc")) {
      return false;
    }
    if (contentType.length() == "application/grpc".length()) {
      return true;
    }
    char next = contentType.charAt("application/grpc".length());
    return next == '+' || next == ';';
  }

  /** The end of the path proper: the index of the first {@code ?} or {@code #}, or the path's length. */
  int pathEnd() {
    String p = path;
    for (int i = 0, n = p.length(); i < n; i++) {
      char c = p.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return p.length();
  }
}
