package dev.inboard.bookinfo.common;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request headers the Bookinfo services copy onto their upstream calls, so that the mesh's traces, access logs
 * and routing rules (e.g. on {@code end-user}) see one request across the services.
 */
public final class HeaderPropagation {
  /** What details and reviews forward verbatim, {@code end-user} included (ratings, a leaf, forwards nothing). */
  public static final List<String> SERVICE_HEADERS = List.of(
      "x-request-id", "x-ot-span-context", "x-datadog-trace-id", "x-datadog-parent-id",
      "x-datadog-sampling-priority", "traceparent", "tracestate", "x-cloud-trace-context", "grpc-trace-bin",
      "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "sw8", "end-user",
      "user-agent", "cookie", "authorization", "jwt");

  /**
   * What productpage forwards verbatim. B3 goes through {@link B3Context} instead, and {@code end-user} comes from
   * the signed-in user, never from the incoming request.
   */
  public static final List<String> PRODUCTPAGE_HEADERS = List.of(
      "x-request-id", "x-ot-span-context", "x-datadog-trace-id", "x-datadog-parent-id",
      "x-datadog-sampling-priority", "traceparent", "tracestate", "x-cloud-trace-context", "grpc-trace-bin", "sw8",
      "user-agent", "cookie", "authorization", "jwt");

  private HeaderPropagation() {}

  /** The headers of {@code names} present on {@code request}, first value of each, in the order of {@code names}. */
  public static Map<String, String> copy(HttpServletRequest request, List<String> names) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : names) {
      String value = request.getHeader(name);
      if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }
}
