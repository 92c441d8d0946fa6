package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.has;
import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A DestinationRule {@code trafficPolicy} (top level, per subset, per port) as istiod validates it. */
final class TrafficPolicyChecks {
  private static final long MAGLEV_MAX_TABLE_SIZE = 5_000_011L;
  private static final Set<String> TOPOLOGY_LABELS =
      Set.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone");

  private TrafficPolicyChecks() {}

  static void check(JsonNode policy, String path, Findings out) {
    if (!policy.isObject()) {
      return;
    }
    if (policy.isEmpty()) {
      out.add(path, policy, "a traffic policy needs at least one setting");
      return;
    }
    if (has(policy, "tunnel") && has(policy, "proxyProtocol")) {
      out.add(path + ".proxyProtocol", policy.path("proxyProtocol"), "tunnel and proxyProtocol cannot be set together");
    }
    tunnel(policy.path("tunnel"), path + ".tunnel", out);
    settings(policy, path, out);
    Findings.eachObject(policy, "portLevelSettings", path, (at, port) -> {
      if (!port.path("port").isObject()) {
        out.add(at + ".port", "", "a port traffic policy needs a port");
      }
      if (!has(port, "outlierDetection") && !has(port, "connectionPool") && !has(port, "loadBalancer")
          && !has(port, "tls")) {
        out.add(at, port, "a port traffic policy needs at least one of outlierDetection, connectionPool, "
            + "loadBalancer, tls");
      }
      settings(port, at, out);
    });
  }

  private static void settings(JsonNode policy, String path, Findings out) {
    outlierDetection(policy.path("outlierDetection"), path + ".outlierDetection", out);
    connectionPool(policy.path("connectionPool"), path + ".connectionPool", out);
    loadBalancer(policy.path("loadBalancer"), path + ".loadBalancer", policy.path("outlierDetection"), out);
    CommonChecks.clientTls(policy.path("tls"), path + ".tls", out);
  }

  private static void tunnel(JsonNode tunnel, String path, Findings out) {
    if (!tunnel.isObject()) {
      return;
    }
    String protocol = text(tunnel, "protocol");
    if (!protocol.isEmpty() && !protocol.equals("CONNECT") && !protocol.equals("POST")) {
      out.add(path + ".protocol", protocol, "tunnel protocol must be CONNECT or POST");
    }
    String host = text(tunnel, "targetHost");
    if (IstioFormats.fqdnError(host).isPresent() && !IstioFormats.isIp(host)) {
      out.add(path + ".targetHost", host, "tunnel target host must be an FQDN or an IP address");
    }
    JsonNode port = tunnel.path("targetPort");
    IstioFormats.portError(port.asLong(0)).ifPresent(reason -> out.add(path + ".targetPort", port, reason));
  }

  private static void outlierDetection(JsonNode outlier, String path, Findings out) {
    if (!outlier.isObject()) {
      return;
    }
    HttpRouteChecks.duration(outlier, "baseEjectionTime", path, out);
    HttpRouteChecks.duration(outlier, "interval", path, out);
    JsonNode localOrigin = outlier.path("consecutiveLocalOriginFailures");
    if (localOrigin.asLong(0) > 0 && !outlier.path("splitExternalLocalOriginErrors").asBoolean(false)) {
      out.add(path + ".consecutiveLocalOriginFailures", localOrigin,
          "consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true");
    }
    for (String percent : List.of("maxEjectionPercent", "minHealthPercent")) {
      JsonNode value = outlier.path(percent);
      if (value.isNumber() && (value.asLong() < 0 || value.asLong() > 100)) {
        out.add(path + "." + percent, value, "percentage must be in range 0..100");
      }
    }
  }

  private static void connectionPool(JsonNode pool, String path, Findings out) {
    if (!pool.isObject()) {
      return;
    }
    JsonNode http = pool.path("http");
    JsonNode tcp = pool.path("tcp");
    if (!http.isObject() && !tcp.isObject()) {
      out.add(path, pool, "a connection pool needs http or tcp settings");
    }
    if (http.isObject()) {
      nonNegative(http, path + ".http", out, "http1MaxPendingRequests", "http2MaxRequests",
          "maxRequestsPerConnection", "maxRetries", "maxConcurrentStreams");
      HttpRouteChecks.duration(http, "idleTimeout", path + ".http", out);
      if (text(http, "h2UpgradePolicy").equals("UPGRADE") && http.path("useClientProtocol").asBoolean(false)) {
        out.add(path + ".http.useClientProtocol", "true", "useClientProtocol cannot be true with h2UpgradePolicy UPGRADE");
      }
    }
    if (tcp.isObject()) {
      nonNegative(tcp, path + ".tcp", out, "maxConnections");
      for (String field : List.of("connectTimeout", "maxConnectionDuration", "idleTimeout")) {
        HttpRouteChecks.duration(tcp, field, path + ".tcp", out);
      }
      JsonNode keepalive = tcp.path("tcpKeepalive");
      HttpRouteChecks.duration(keepalive, "time", path + ".tcp.tcpKeepalive", out);
      HttpRouteChecks.duration(keepalive, "interval", path + ".tcp.tcpKeepalive", out);
    }
  }

  private static void nonNegative(JsonNode node, String path, Findings out, String... fields) {
    for (String field : fields) {
      JsonNode value = node.path(field);
      if (value.isNumber() && value.asLong() < 0) {
        out.add(path + "." + field, value, field + " cannot be negative");
      }
    }
  }

  private static void loadBalancer(JsonNode lb, String path, JsonNode outlier, Findings out) {
    if (!lb.isObject()) {
      return;
    }
    JsonNode hash = lb.path("consistentHash");
    if (hash.isObject()) {
      JsonNode cookie = hash.path("httpCookie");
      if (cookie.isObject() && text(cookie, "name").isEmpty()) {
        out.add(path + ".consistentHash.httpCookie.name", "", "an httpCookie hash needs a cookie name");
      }
      if (hash.path("minimumRingSize").asLong(0) != 0 && (has(hash, "ringHash") || has(hash, "maglev"))) {
        out.add(path + ".consistentHash.minimumRingSize", hash.path("minimumRingSize"),
            "minimumRingSize cannot be combined with ringHash or maglev (it is deprecated; use ringHash)");
      }
      JsonNode maglev = hash.path("maglev");
      if (maglev.isObject()) {
        JsonNode size = maglev.path("tableSize");
        long tableSize = size.asLong(0);
        String at = path + ".consistentHash.maglev.tableSize";
        if (tableSize == 0) {
          out.add(at, size, "tableSize is required for maglev");
        } else if (tableSize >= MAGLEV_MAX_TABLE_SIZE) {
          out.add(at, size, "tableSize must be less than " + MAGLEV_MAX_TABLE_SIZE + " for maglev");
        } else if (!isPrime(tableSize)) {
          out.add(at, size, "tableSize must be a prime number for maglev");
        }
      }
    }
    locality(lb.path("localityLbSetting"), path + ".localityLbSetting", outlier, out);
    HttpRouteChecks.duration(lb, "warmupDurationSecs", path, out);
    HttpRouteChecks.duration(lb.path("warmup"), "duration", path + ".warmup", out);
  }

  static boolean isPrime(long x) {
    if (x < 2) {
      return false;
    }
    if (x < 4) {
      return true;
    }
    if (x % 2 == 0) {
      return false;
    }
    for (long f = 3; f * f <= x; f += 2) {
      if (x % f == 0) {
        return false;
      }
    }
    return true;
  }

  private static void locality(JsonNode setting, String path, JsonNode outlier, Findings out) {
    if (!setting.isObject()) {
      return;
    }
    if (nonEmpty(setting, "distribute") && nonEmpty(setting, "failover")) {
      out.add(path, setting, "distribute and failover cannot be set together");
      return;
    }
    if (nonEmpty(setting, "failover")) {
      Findings.eachText(setting, "failoverPriority", path, (at, label) -> {
        if (TOPOLOGY_LABELS.contains(label)) {
          out.add(at, label, "topology labels cannot be used in failoverPriority together with failover");
        }
      });
    }
    List<String> sources = new ArrayList<>();
    Findings.eachObject(setting, "distribute", path, (at, distribute) -> {
      sources.add(text(distribute, "from"));
      long total = 0;
      List<String> targets = new ArrayList<>();
      var it = distribute.path("to").fields();
      while (it.hasNext()) {
        var e = it.next();
        targets.add(e.getKey());
        long weight = e.getValue().asLong(0);
        if (weight <= 0 || weight > 100) {
          out.add(at + ".to[" + e.getKey() + "]", e.getValue(), "locality weight must be in range 1..100");
        }
        total += weight;
      }
      if (total != 100) {
        out.add(at + ".to", Long.toString(total), "locality weights must add up to 100, got " + total);
      }
      localities(targets, at + ".to", out);
    });
    localities(sources, path + ".distribute", out);
    Findings.eachObject(setting, "failover", path, (at, failover) -> {
      String from = text(failover, "from");
      String to = text(failover, "to");
      if (from.equals(to)) {
        out.add(at, failover, "failover must name different regions in from and to");
      }
      if (from.contains("/") || to.contains("/")) {
        out.add(at, failover, "failover from and to are regions only (no zone or subzone)");
      }
      if (from.contains("*") || to.contains("*")) {
        out.add(at, failover, "failover regions cannot contain '*'");
      }
    });
  }

  /** Localities {@code region/zone/subzone}: no empty parts, one trailing wildcard at most, no overlaps. */
  private static void localities(List<String> localities, String path, Findings out) {
    Set<String> seen = new HashSet<>();
    for (String locality : localities) {
      long stars = locality.chars().filter(c -> c == '*').count();
      if (stars > 1 || stars == 1 && !locality.endsWith("*")) {
        out.add(path, locality, "a locality may have one '*', at the end only");
        return;
      }
      String[] parts = locality.split("/", -1);
      for (String part : parts) {
        if (part.isEmpty()) {
          out.add(path, locality, "a locality must not have an empty region, zone or subzone");
          return;
        }
      }
      String normalized = locality.endsWith("/*") ? locality.substring(0, locality.length() - 2) : locality;
      for (String other : seen) {
        boolean overlaps = other.equals("*") || normalized.equals(other) || normalized.startsWith(other + "/")
            || other.startsWith(normalized + "/");
        if (overlaps) {
          out.add(path, locality, "locality overlaps " + other);
          return;
        }
      }
      seen.add(normalized);
    }
  }
}
