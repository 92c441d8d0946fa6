package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.has;
import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.xdsgen.IstioDurations;
import java.util.List;
import java.util.Set;

/** One {@code http} route of a VirtualService, as istiod's webhook validates it beyond the CRD schema. */
final class HttpRouteChecks {
  static final String JWT_CLAIM_PREFIX = "@request.auth.claims.";

  private static final List<String> MATCH_FIELDS = List.of("uri", "scheme", "method", "authority");
  private static final List<String> MATCH_MAPS = List.of("headers", "queryParams", "withoutHeaders");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE");
  private static final Set<String> GRPC_STATUSES = Set.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED");

  /** How a route takes part in delegation. */
  enum Kind {
    /** A route of an ordinary VirtualService. */
    INDEPENDENT,
    /** A route that hands its matches to a delegate VirtualService. */
    ROOT,
    /** A route of a delegate VirtualService (one without hosts). */
    DELEGATE
  }

  private HttpRouteChecks() {}

  static void check(JsonNode route, String path, boolean delegateVirtualService, boolean boundToGateway,
      Findings out) {
    Kind kind = delegateVirtualService ? Kind.DELEGATE : has(route, "delegate") ? Kind.ROOT : Kind.INDEPENDENT;
    conflicts(route, path, kind, out);
    Findings.eachObject(route, "match", path, (at, match) -> match(match, at, kind, boundToGateway, out));
    if (route.path("headers").isObject()) {
      CommonChecks.headerOperations(route.path("headers"), path + ".headers", out);
    }
    cors(route.path("corsPolicy"), path + ".corsPolicy", out);
    fault(route.path("fault"), path + ".fault", out);
    mirrors(route, path, out);
    redirect(route.path("redirect"), path + ".redirect", out);
    RetryChecks.retries(route.path("retries"), path + ".retries", out);
    rewrite(route, path, out);
    RouteDestinations.check(route, path, true, out);
    duration(route, "timeout", path, out);
  }

  private static void conflicts(JsonNode route, String path, Kind kind, Findings out) {
    boolean redirect = has(route, "redirect");
    boolean direct = has(route, "directResponse");
    boolean forward = nonEmpty(route, "route");
    if (kind == Kind.ROOT) {
      if (redirect) {
        out.add(path + ".redirect", route.path("redirect"), "a route with delegate must not specify redirect");
      }
      if (forward) {
        out.add(path + ".route", route.path("route"), "a route with delegate must not specify route");
      }
      return;
    }
    if (kind == Kind.DELEGATE && has(route, "delegate")) {
      out.add(path + ".delegate", route.path("delegate"), "a delegate VirtualService's route cannot delegate again");
    }
    if (redirect) {
      if (forward) {
        out.add(path + ".redirect", route.path("redirect"), "a route cannot have both route and redirect");
      }
      if (has(route, "fault")) {
        out.add(path + ".fault", route.path("fault"), "a route cannot have both fault and redirect");
      }
      if (has(route, "rewrite")) {
        out.add(path + ".rewrite", route.path("rewrite"), "a route cannot have both rewrite and redirect");
      }
    }
    if (direct && (forward || redirect)) {
      out.add(path + ".directResponse", route.path("directResponse"),
          "a route cannot have directResponse together with " + (forward ? "route" : "redirect"));
    }
    if (!redirect && !direct && !forward) {
      out.add(path, "", "one of route, redirect, directResponse or delegate is required");
    }
  }

  private static void match(JsonNode match, String path, Kind kind, boolean boundToGateway, Findings out) {
    for (String field : MATCH_FIELDS) {
      JsonNode sm = match.path(field);
      if (sm.isObject()) {
        stringMatch(sm, path + "." + field, kind, out);
      }
    }
    for (String map : MATCH_MAPS) {
      Findings.eachEntry(match, map, path, (at, name, sm) -> {
        boolean headers = !map.equals("queryParams");
        if (headers && name.startsWith(JWT_CLAIM_PREFIX)) {
          if (!boundToGateway) {
            out.add(at, name, "JWT claim based routing is only supported for VirtualServices bound to gateways");
          }
        } else if (headers) {
          IstioFormats.headerNameError(name).ifPresent(reason -> out.add(at, name, reason));
        }
        if (sm.isObject()) {
          stringMatch(sm, at, kind, out);
        }
      });
    }
    JsonNode port = match.path("port");
    if (port.isNumber() && port.asLong() != 0) {
      IstioFormats.portError(port.asLong()).ifPresent(reason -> out.add(path + ".port", port, reason));
    }
    CommonChecks.labels(match.path("sourceLabels"), path + ".sourceLabels", out);
    Findings.eachText(match, "gateways", path, (at, gateway) -> VirtualServiceChecks.gatewayName(gateway, at, out));
    String sourceNamespace = text(match, "sourceNamespace");
    if (!sourceNamespace.isEmpty() && !IstioFormats.isDns1123Label(sourceNamespace)) {
      out.add(path + ".sourceNamespace", sourceNamespace, "not a valid namespace name");
    }
  }

  private static void stringMatch(JsonNode sm, String path, Kind kind, Findings out) {
    if (kind != Kind.INDEPENDENT && sm.has("regex")) {
      out.add(path + ".regex", sm.path("regex"), "regex matches are not supported in delegating routes");
      return;
    }
    CommonChecks.stringMatchRegex(sm, path, out);
  }

  private static void cors(JsonNode cors, String path, Findings out) {
    if (!cors.isObject()) {
      return;
    }
    Findings.eachObject(cors, "allowOrigins", path, (at, origin) -> {
      String match = text(origin, "exact") + text(origin, "prefix") + text(origin, "regex");
      if (match.isEmpty()) {
        out.add(at, origin, "an allowed origin needs a non-empty exact, prefix or regex");
      }
      CommonChecks.stringMatchRegex(origin, at, out);
    });
    Findings.eachText(cors, "allowMethods", path, (at, method) -> {
      if (!METHODS.contains(method)) {
        out.add(at, method, "not a supported HTTP method; use one of " + String.join(", ", METHODS.stream().sorted()
            .toList()));
      }
    });
    for (String list : List.of("allowHeaders", "exposeHeaders")) {
      Findings.eachText(cors, list, path, (at, name) -> {
        if (!name.equals("*")) {
          IstioFormats.headerNameError(name).ifPresent(reason -> out.add(at, name, reason));
        }
      });
    }
    JsonNode maxAge = cors.path("maxAge");
    if (maxAge.isTextual()) {
      var error = IstioFormats.durationError(maxAge.asText());
      if (error.isPresent()) {
        out.add(path + ".maxAge", maxAge, error.get());
      } else if (IstioDurations.parse(maxAge.asText()).getNano() != 0) {
        out.add(path + ".maxAge", maxAge, "maxAge is accurate only to seconds; use whole seconds");
      }
    }
  }

  private static void fault(JsonNode fault, String path, Findings out) {
    if (!fault.isObject()) {
      return;
    }
    JsonNode delay = fault.path("delay");
    JsonNode abort = fault.path("abort");
    if (!delay.isObject() && !abort.isObject()) {
      out.add(path, fault, "a fault needs an abort, a delay or both");
    }
    if (delay.isObject()) {
      percentage(delay, path + ".delay", out);
      duration(delay, "fixedDelay", path + ".delay", out);
      if (has(delay, "exponentialDelay")) {
        out.add(path + ".delay.exponentialDelay", delay.path("exponentialDelay"), "exponentialDelay is not supported");
      }
    }
    if (abort.isObject()) {
      percentage(abort, path + ".abort", out);
      JsonNode status = abort.path("httpStatus");
      if (status.isNumber() && (status.asInt() < 200 || status.asInt() > 600)) {
        out.add(path + ".abort.httpStatus", status, "HTTP status must be in range 200-599");
      }
      JsonNode grpc = abort.path("grpcStatus");
      if (grpc.isTextual() && !GRPC_STATUSES.contains(grpc.asText())) {
        out.add(path + ".abort.grpcStatus", grpc, "not a gRPC status code name, e.g. UNAVAILABLE or NOT_FOUND");
      }
      if (has(abort, "http2Error")) {
        out.add(path + ".abort.http2Error", abort.path("http2Error"), "HTTP/2 abort fault injection is not supported");
      }
    }
  }

  private static void percentage(JsonNode fault, String path, Findings out) {
    JsonNode value = fault.path("percentage").path("value");
    if (value.isNumber()) {
      double v = value.asDouble();
      if (v < 0 || v > 100 || v > 0 && v < 0.0001) {
        out.add(path + ".percentage.value", value, "percentage must be 0, or in range 0.0001..100");
      }
    }
    JsonNode percent = fault.path("percent");
    if (percent.isNumber() && (percent.asInt() < 0 || percent.asInt() > 100)) {
      out.add(path + ".percent", percent, "percent must be in range 0..100");
    }
  }

  private static void mirrors(JsonNode route, String path, Findings out) {
    for (String field : List.of("mirrorPercent", "mirror_percent")) {
      JsonNode percent = route.path(field);
      if (percent.isNumber() && percent.asLong() > 100) {
        out.add(path + "." + field, percent, "mirror percent must be at most 100");
      }
    }
    mirrorPercentage(route.path("mirrorPercentage"), path + ".mirrorPercentage", out);
    CommonChecks.destination(route.path("mirror"), path + ".mirror", out);
    Findings.eachObject(route, "mirrors", path, (at, mirror) -> {
      if (!mirror.path("destination").isObject()) {
        out.add(at + ".destination", "", "a mirror needs a destination");
      }
      CommonChecks.destination(mirror.path("destination"), at + ".destination", out);
      mirrorPercentage(mirror.path("percentage"), at + ".percentage", out);
    });
  }

  private static void mirrorPercentage(JsonNode percentage, String path, Findings out) {
    JsonNode value = percentage.path("value");
    if (value.isNumber() && (value.asDouble() < 0 || value.asDouble() > 100)) {
      out.add(path + ".value", value, "mirror percentage must be in range 0..100");
    }
  }

  private static void redirect(JsonNode redirect, String path, Findings out) {
    if (!redirect.isObject()) {
      return;
    }
    if (text(redirect, "uri").isEmpty() && text(redirect, "authority").isEmpty() && !has(redirect, "port")
        && !has(redirect, "derivePort") && text(redirect, "scheme").isEmpty()) {
      out.add(path, redirect, "a redirect must change at least one of uri, authority, scheme or port");
    }
    JsonNode code = redirect.path("redirectCode");
    if (code.isNumber() && code.asInt() != 0 && (code.asInt() < 300 || code.asInt() > 399)) {
      out.add(path + ".redirectCode", code, "redirect code must be 3xx");
    }
    String scheme = text(redirect, "scheme");
    if (!scheme.isEmpty() && !scheme.equals("http") && !scheme.equals("https")) {
      out.add(path + ".scheme", scheme, "redirect scheme must be http or https");
    }
    JsonNode port = redirect.path("port");
    if (port.isNumber()) {
      IstioFormats.portError(port.asLong()).ifPresent(reason -> out.add(path + ".port", port, reason));
    }
  }

  private static void rewrite(JsonNode route, String path, Findings out) {
    JsonNode rewrite = route.path("rewrite");
    String authority = text(rewrite, "authority");
    if (rewrite.isObject()) {
      JsonNode regex = rewrite.path("uriRegexRewrite");
      boolean uri = !text(rewrite, "uri").isEmpty();
      if (uri && regex.isObject()) {
        out.add(path + ".rewrite", rewrite, "rewrite may contain only one of uri and uriRegexRewrite");
      }
      if (!uri && !regex.isObject() && authority.isEmpty()) {
        out.add(path + ".rewrite", rewrite, "rewrite must specify uri, uriRegexRewrite or authority");
      }
      if (regex.isObject()) {
        if (text(regex, "match").isEmpty() || text(regex, "rewrite").isEmpty()) {
          out.add(path + ".rewrite.uriRegexRewrite", regex, "uriRegexRewrite needs both match and rewrite");
        } else {
          IstioFormats.regexError(text(regex, "match"))
              .ifPresent(reason -> out.add(path + ".rewrite.uriRegexRewrite.match", regex.path("match"), reason));
        }
      }
    }
    String current = authority;
    JsonNode request = route.path("headers").path("request");
    for (String op : List.of("set", "add")) {
      JsonNode ops = request.path(op);
      if (!ops.isObject()) {
        continue;
      }
      var names = ops.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (name.equalsIgnoreCase(":authority") || name.equalsIgnoreCase("host")) {
          String value = ops.path(name).asText();
          if (!current.isEmpty()) {
            out.add(path + ".headers.request." + op + "[" + name + "]", value,
                "the authority is already rewritten to " + current + "; set it in one place only");
          }
          current = value;
        }
      }
    }
  }

  static void duration(JsonNode node, String field, String path, Findings out) {
    JsonNode value = node.path(field);
    if (value.isTextual()) {
      IstioFormats.durationError(value.asText()).ifPresent(reason -> out.add(path + "." + field, value, reason));
    }
  }
}
