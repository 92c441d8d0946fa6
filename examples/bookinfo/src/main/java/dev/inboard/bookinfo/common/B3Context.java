package dev.inboard.bookinfo.common;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Zipkin B3 trace context read from a request and written onto upstream calls the way an OpenTelemetry B3
 * multi-header propagator does: the single {@code b3} header wins over {@code x-b3-*}; the trace id is 16 or 32 hex
 * digits (written as 32), the span id 16; {@code x-b3-sampled} of 1/true/d or {@code x-b3-flags: 1} means sampled;
 * written as {@code x-b3-traceid}, {@code x-b3-spanid} and {@code x-b3-sampled} (1 or 0). The parent span id is not
 * propagated. No valid context in, nothing out.
 *
 * @param traceId 32 lower-case hex digits
 * @param spanId 16 lower-case hex digits
 * @param sampled whether the trace is sampled
 */
public record B3Context(String traceId, String spanId, boolean sampled) {
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");
  private static final Set<String> SAMPLED = Set.of("1", "True", "true", "d");

  /** The context {@code request} carries, if it carries a valid one. */
  public static Optional<B3Context> extract(HttpServletRequest request) {
    String traceId;
    String spanId;
    String sampled = "0";
    String flags = null;
    String single = request.getHeader("b3");
    if (single != null && !single.isEmpty()) {
      String[] fields = single.split("-", -1);
      if (fields.length < 2 || fields.length > 4) {
        return Optional.empty();
      }
      traceId = fields[0];
      spanId = fields[1];
      sampled = fields.length >= 3 ? fields[2] : "1";
    } else {
      traceId = request.getHeader("x-b3-traceid");
      spanId = request.getHeader("x-b3-spanid");
      String s = request.getHeader("x-b3-sampled");
      if (s != null && !s.isEmpty()) {
        sampled = s;
      }
      flags = request.getHeader("x-b3-flags");
    }
    if (traceId == null || spanId == null || !TRACE_ID.matcher(traceId).matches()
        || !SPAN_ID.matcher(spanId).matches()) {
      return Optional.empty();
    }
    String trace = "0".repeat(32 - traceId.length()) + traceId.toLowerCase(Locale.ROOT);
    String span = spanId.toLowerCase(Locale.ROOT);
    if (trace.chars().allMatch(c -> c == '0') || span.chars().allMatch(c -> c == '0')) {
      return Optional.empty();
    }
    return Optional.of(new B3Context(trace, span, SAMPLED.contains(sampled) || "1".equals(flags)));
  }

  /** The headers that carry this context upstream. */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-b3-traceid", traceId);
    h.put("x-b3-spanid", spanId);
    h.put("x-b3-sampled", sampled ? "1" : "0");
    return h;
  }
}
