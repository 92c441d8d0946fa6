package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A VirtualService as istiod's validating webhook checks it beyond the CRD schema. */
final class VirtualServiceChecks {
  static final String MESH_GATEWAY = "mesh";

  private VirtualServiceChecks() {}

  static void check(JsonNode spec, String namespace, Findings out) {
    boolean delegate = !nonEmpty(spec, "hosts");
    if (delegate) {
      for (String field : List.of("gateways", "tls", "tcp")) {
        if (nonEmpty(spec, field)) {
          out.add("spec." + field, spec.path(field),
              "a delegate VirtualService (one without hosts) must not have " + field);
        }
      }
    }
    Findings.eachText(spec, "gateways", "spec", (at, gateway) -> gatewayName(gateway, at, out));
    boolean boundToGateway = boundToGateway(spec);
    hosts(spec, !boundToGateway, out);
    if (!nonEmpty(spec, "http") && !nonEmpty(spec, "tcp") && !nonEmpty(spec, "tls")) {
      out.add("spec", "", "a VirtualService needs http, tcp or tls routes");
    }
    Findings.eachObject(spec, "http", "spec",
        (at, route) -> HttpRouteChecks.check(route, at, delegate, boundToGateway, out));
    Findings.eachObject(spec, "tcp", "spec", (at, route) -> tcpRoute(route, at, out));
    Findings.eachObject(spec, "tls", "spec", (at, route) -> tlsRoute(route, at, spec, out));
    CommonChecks.exportTo(spec, namespace, false, out);
  }

  /** Whether the VirtualService applies to gateways only (its gateways do not include {@code mesh}). */
  static boolean boundToGateway(JsonNode spec) {
    JsonNode gateways = spec.path("gateways");
    if (!gateways.isArray() || gateways.isEmpty()) {
      return false;
    }
    for (JsonNode gateway : gateways) {
      if (MESH_GATEWAY.equals(gateway.asText())) {
        return false;
      }
    }
    return true;
  }

  private static void hosts(JsonNode spec, boolean appliesToMesh, Findings out) {
    List<String> valid = new ArrayList<>();
    boolean allValid = true;
    JsonNode hosts = spec.path("hosts");
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i).asText();
      String at = "spec.hosts[" + i + "]";
      var error = IstioFormats.wildcardDomainError(host);
      if (error.isPresent() && !IstioFormats.isIp(host)) {
        out.add(at, host, error.get());
        allValid = false;
      } else if (appliesToMesh && host.equals("*")) {
        out.add(at, host, "wildcard host * is not allowed for VirtualServices bound to the mesh");
        allValid = false;
      }
      valid.add(host);
    }
    if (!allValid) {
      return;
    }
    for (int i = 0; i < valid.size(); i++) {
      for (int j = i + 1; j < valid.size(); j++) {
        if (hostsOverlap(valid.get(i), valid.get(j))) {
          out.add("spec.hosts[" + j + "]", valid.get(j), "duplicate host: overlaps " + valid.get(i));
        }
      }
    }
  }

  /** Istio's host matching: equal names, or a wildcard ({@code *.example.com}) covering the other. */
  static boolean hostsOverlap(String a, String b) {
    boolean aWild = a.startsWith("*");
    boolean bWild = b.startsWith("*");
    if (aWild && bWild) {
      return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1)) : a.substring(1).endsWith(b.substring(1));
    }
    if (aWild) {
      return b.endsWith(a.substring(1));
    }
    if (bWild) {
      return a.endsWith(b.substring(1));
    }
    return a.equals(b);
  }

  /** A gateway reference: {@code namespace/name}, or a name (optionally the legacy {@code name.namespace...}). */
  static void gatewayName(String gateway, String path, Findings out) {
    int slash = gateway.indexOf('/');
    if (slash < 0) {
      IstioFormats.fqdnError(gateway).ifPresent(reason -> out.add(path, gateway, "invalid gateway name: " + reason));
      return;
    }
    String namespace = gateway.substring(0, slash);
    String name = gateway.substring(slash + 1);
    if (namespace.isEmpty() || name.isEmpty()) {
      out.add(path, gateway, "namespace and gateway name cannot be empty");
    } else if (!IstioFormats.isDns1123Label(namespace)) {
      out.add(path, gateway, "invalid namespace \"" + namespace + "\"");
    } else if (!IstioFormats.isDns1123Label(name)) {
      out.add(path, gateway, "invalid gateway name \"" + name + "\"");
    }
  }

  private static void tcpRoute(JsonNode route, String path, Findings out) {
    Findings.eachObject(route, "match", path, (at, match) -> l4Match(match, at, out));
    if (!nonEmpty(route, "route")) {
      out.add(path + ".route", "", "a tcp route needs at least one destination");
    }
    RouteDestinations.check(route, path, false, out);
  }

  private static void tlsRoute(JsonNode route, String path, JsonNode spec, Findings out) {
    if (!nonEmpty(route, "match")) {
      out.add(path + ".match", "", "a tls route needs at least one match");
    }
    Findings.eachObject(route, "match", path, (at, match) -> {
      if (!nonEmpty(match, "sniHosts")) {
        out.add(at + ".sniHosts", "", "a tls match needs at least one SNI host");
      }
      Findings.eachText(match, "sniHosts", at, (sniAt, sni) -> sniHost(sni, sniAt, spec, out));
      l4Match(match, at, out);
    });
    if (!nonEmpty(route, "route")) {
      out.add(path + ".route", "", "a tls route needs at least one destination");
    }
    RouteDestinations.check(route, path, false, out);
  }

  private static void sniHost(String sni, String path, JsonNode spec, Findings out) {
    var error = IstioFormats.wildcardDomainError(sni);
    if (error.isPresent()) {
      if (!IstioFormats.isIp(sni)) {
        out.add(path, sni, error.get());
      }
      return;
    }
    for (JsonNode host : spec.path("hosts")) {
      if (subsetOf(sni, host.asText())) {
        return;
      }
    }
    out.add(path, sni, "SNI host is not covered by any of the VirtualService's hosts " + spec.path("hosts"));
  }

  /** Whether every name {@code a} matches is also matched by {@code b}. */
  private static boolean subsetOf(String a, String b) {
    if (b.startsWith("*")) {
      return a.startsWith("*") ? a.substring(1).endsWith(b.substring(1)) : a.endsWith(b.substring(1));
    }
    return !a.startsWith("*") && a.equals(b);
  }

  private static void l4Match(JsonNode match, String path, Findings out) {
    Findings.eachText(match, "destinationSubnets", path, (at, subnet) ->
        IstioFormats.ipOrCidrError(subnet).ifPresent(reason -> out.add(at, subnet, reason)));
    JsonNode port = match.path("port");
    if (port.isNumber() && port.asLong() != 0) {
      IstioFormats.portError(port.asLong()).ifPresent(reason -> out.add(path + ".port", port, reason));
    }
    CommonChecks.labels(match.path("sourceLabels"), path + ".sourceLabels", out);
    Findings.eachText(match, "gateways", path, (at, gateway) -> gatewayName(gateway, at, out));
  }
}
