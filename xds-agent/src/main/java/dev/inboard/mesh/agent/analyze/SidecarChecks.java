package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.has;
import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** A Sidecar as istiod's validating webhook checks it beyond the CRD schema. */
final class SidecarChecks {
  private static final String UNIX = "unix://";
  private static final Set<String> LOOPBACK_OR_ANY = Set.of("127.0.0.1", "0.0.0.0", "::1", "::");

  private SidecarChecks() {}

  static void check(JsonNode spec, Findings out) {
    if (!nonEmpty(spec, "egress") && !nonEmpty(spec, "ingress") && !has(spec, "outboundTrafficPolicy")
        && !has(spec, "inboundConnectionPool")) {
      out.add("spec", "", "a Sidecar needs egress, ingress, outboundTrafficPolicy or inboundConnectionPool");
    }
    CommonChecks.labels(spec.path("workloadSelector").path("labels"), "spec.workloadSelector.labels", out);
    Set<Long> ingressPorts = new HashSet<>();
    Findings.eachObject(spec, "ingress", "spec", (at, ingress) -> ingress(ingress, at, ingressPorts, out));
    connectionPool(spec.path("inboundConnectionPool"), "spec.inboundConnectionPool", out);
    JsonNode egress = spec.path("egress");
    Set<Long> egressPorts = new HashSet<>();
    Set<String> unixBinds = new HashSet<>();
    for (int i = 0; i < egress.size(); i++) {
      JsonNode listener = egress.get(i);
      String at = "spec.egress[" + i + "]";
      if (!listener.isObject()) {
        continue;
      }
      if (!listener.path("port").isObject()) {
        if (i != egress.size() - 1) {
          out.add(at, "", "the egress listener without a port (catch-all) must be the last one");
        }
      } else {
        egressPort(listener, at, egressPorts, unixBinds, out);
      }
      if (!nonEmpty(listener, "hosts")) {
        out.add(at + ".hosts", "", "an egress listener needs at least one host");
      }
      Findings.eachText(listener, "hosts", at, (hostAt, host) -> egressHost(host, hostAt, out));
    }
    outboundTrafficPolicy(spec.path("outboundTrafficPolicy"), "spec.outboundTrafficPolicy", out);
  }

  private static void ingress(JsonNode ingress, String path, Set<Long> ports, Findings out) {
    JsonNode port = ingress.path("port");
    if (!port.isObject()) {
      out.add(path + ".port", "", "an ingress listener needs a port");
      return;
    }
    portBasics(port, path + ".port", false, out);
    if (!ports.add(port.path("number").asLong(0))) {
      out.add(path + ".port.number", port.path("number"), "ports of IP-bound listeners must be unique");
    }
    bind(text(ingress, "bind"), path + ".bind", out);
    String endpoint = text(ingress, "defaultEndpoint");
    if (endpoint.startsWith(UNIX)) {
      unixAddress(endpoint.substring(UNIX.length()), endpoint, path + ".defaultEndpoint", out);
    } else if (!endpoint.isEmpty()) {
      defaultEndpoint(endpoint, path + ".defaultEndpoint", out);
    }
    JsonNode tls = ingress.path("tls");
    if (tls.isObject()) {
      if (nonEmpty(tls, "subjectAltNames")) {
        out.add(path + ".tls.subjectAltNames", tls.path("subjectAltNames"), "not supported in sidecar ingress tls");
      }
      if (tls.path("httpsRedirect").asBoolean(false)) {
        out.add(path + ".tls.httpsRedirect", "true", "not supported in sidecar ingress tls");
      }
      if (!text(tls, "credentialName").isEmpty()) {
        out.add(path + ".tls.credentialName", text(tls, "credentialName"), "not supported in sidecar ingress tls");
      }
      String mode = text(tls, "mode");
      if (mode.equals("ISTIO_MUTUAL") || mode.equals("AUTO_PASSTHROUGH")) {
        out.add(path + ".tls.mode", mode, "mode " + mode + " cannot be used in sidecar ingress tls");
      }
    }
    connectionPool(ingress.path("connectionPool"), path + ".connectionPool", out);
  }

  private static void connectionPool(JsonNode pool, String path, Findings out) {
    if (pool.isObject() && !pool.path("http").isObject() && !pool.path("tcp").isObject()) {
      out.add(path, pool, "a connection pool needs http or tcp settings");
    }
  }

  private static void egressPort(JsonNode listener, String path, Set<Long> ports, Set<String> unixBinds,
      Findings out) {
    JsonNode port = listener.path("port");
    long number = port.path("number").asLong(0);
    String bind = text(listener, "bind");
    portBasics(port, path + ".port", number == 0, out);
    if (number == 0) {
      if (!bind.startsWith(UNIX)) {
        out.add(path + ".bind", bind, "a listener with port 0 must bind a unix domain socket (unix://...)");
      } else {
        unixAddress(bind.substring(UNIX.length()), bind, path + ".bind", out);
        if (!unixBinds.add(bind)) {
          out.add(path + ".bind", bind, "unix domain socket binds of listeners must be unique");
        }
      }
      String capture = text(listener, "captureMode");
      if (!capture.isEmpty() && !capture.equals("DEFAULT") && !capture.equals("NONE")) {
        out.add(path + ".captureMode", capture, "unix domain socket listeners only allow captureMode DEFAULT or NONE");
      }
    } else {
      bind(bind, path + ".bind", out);
      if (!ports.add(number)) {
        out.add(path + ".port.number", port.path("number"), "ports of IP-bound listeners must be unique");
      }
    }
  }

  private static void portBasics(JsonNode port, String path, boolean unix, Findings out) {
    String name = text(port, "name");
    if (!name.isEmpty() && !IstioFormats.isDns1123Label(name)) {
      out.add(path + ".name", name, "invalid port name; use a DNS-1123 label");
    }
    String protocol = text(port, "protocol");
    if (!IstioFormats.isKnownProtocol(protocol)) {
      out.add(path + ".protocol", protocol, "unsupported protocol");
    }
    if (!unix) {
      IstioFormats.portError(port.path("number").asLong(0))
          .ifPresent(reason -> out.add(path + ".number", port.path("number"), reason));
    }
    if (port.path("targetPort").asLong(0) > 0) {
      out.add(path + ".targetPort", port.path("targetPort"), "targetPort has no effect on Sidecars");
    }
  }

  private static void bind(String bind, String path, Findings out) {
    if (!bind.isEmpty() && !IstioFormats.isIp(bind)) {
      out.add(path, bind, "bind must be an IP address");
    }
  }

  private static void unixAddress(String socket, String written, String path, Findings out) {
    if (socket.isEmpty()) {
      out.add(path, written, "unix address must not be empty");
    } else if (!socket.startsWith("@") && (!socket.startsWith("/") || socket.endsWith("/"))) {
      out.add(path, written, "unix address must be an absolute path to a file or an abstract socket (@name)");
    }
  }

  private static void defaultEndpoint(String endpoint, String path, Findings out) {
    int colon = endpoint.lastIndexOf(':');
    String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
    String port = colon < 0 ? "" : endpoint.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (colon < 0 || !host.isEmpty() && !LOOPBACK_OR_ANY.contains(host)) {
      out.add(path, endpoint, "defaultEndpoint must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, "
          + "[::]:<port>, :<port> or unix://<path>");
      return;
    }
    if (port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 5
        || IstioFormats.portError(Long.parseLong(port)).isPresent()) {
      out.add(path, endpoint, "defaultEndpoint port must be a number in 1..65535");
    }
  }

  /** An egress host {@code namespace/dnsName}: namespace {@code *}, {@code .}, {@code ~} or a name; FQDN or wildcard. */
  private static void egressHost(String host, String path, Findings out) {
    int slash = host.indexOf('/');
    if (slash < 0) {
      out.add(path, host, "host must be of the form namespace/dnsName");
      return;
    }
    String namespace = host.substring(0, slash);
    String name = host.substring(slash + 1);
    if (namespace.isEmpty() || name.isEmpty()) {
      out.add(path, host, "namespace and dnsName cannot be empty");
      return;
    }
    if (!Set.of("*", ".", "~").contains(namespace) && !IstioFormats.isDns1123Label(namespace)) {
      out.add(path, host, "invalid namespace \"" + namespace + "\"");
    }
    if (!name.equals("*") && !name.contains(".")) {
      out.add(path, host, "short names (non FQDN) are not allowed");
    } else if (name.contains("*") && !name.equals("*") && !name.startsWith("*.")) {
      out.add(path, host, "partial wildcard \"" + name + "\" not allowed");
    } else {
      IstioFormats.wildcardDomainError(name).ifPresent(reason -> out.add(path, host, reason));
    }
  }

  private static void outboundTrafficPolicy(JsonNode policy, String path, Findings out) {
    JsonNode proxy = policy.path("egressProxy");
    if (!proxy.isObject()) {
      return;
    }
    if (!text(policy, "mode").equals("ALLOW_ANY")) {
      out.add(path + ".egressProxy", proxy, "egressProxy can only be set with mode ALLOW_ANY");
      return;
    }
    IstioFormats.fqdnError(text(proxy, "host"))
        .ifPresent(reason -> out.add(path + ".egressProxy.host", text(proxy, "host"), reason));
    if (!proxy.path("port").isObject()) {
      out.add(path + ".egressProxy.port", "", "egressProxy needs a port");
    }
    CommonChecks.destination(proxy, path + ".egressProxy", out);
  }
}
