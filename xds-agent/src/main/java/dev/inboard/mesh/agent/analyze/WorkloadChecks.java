package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** ServiceEntry and WorkloadEntry as istiod's validating webhook checks them beyond the CRD schema. */
final class WorkloadChecks {
  private static final String UNIX = "unix://";

  private WorkloadChecks() {}

  static void serviceEntry(JsonNode spec, String namespace, Findings out) {
    Findings.eachText(spec, "hosts", "spec", (at, host) -> {
      if (!host.equals("*")) {
        IstioFormats.wildcardDomainError(host).ifPresent(reason -> out.add(at, host, reason));
      }
    });
    Findings.eachText(spec, "addresses", "spec", (at, address) ->
        IstioFormats.ipOrCidrError(address).ifPresent(reason -> out.add(at, address, reason)));
    Set<String> portNames = new HashSet<>();
    Findings.eachObject(spec, "ports", "spec", (at, port) -> {
      String name = text(port, "name");
      portNames.add(name);
      if (!IstioFormats.isDns1123Label(name)) {
        out.add(at + ".name", name, "invalid port name; use a DNS-1123 label");
      }
      String protocol = text(port, "protocol");
      if (!IstioFormats.isKnownProtocol(protocol)) {
        out.add(at + ".protocol", protocol, "unsupported protocol; use HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS, "
            + "UDP, MONGO, REDIS or MYSQL");
      }
    });
    String resolution = text(spec, "resolution").isEmpty() ? "NONE" : text(spec, "resolution");
    switch (resolution) {
      case "STATIC" -> Findings.eachObject(spec, "endpoints", "spec",
          (at, endpoint) -> staticEndpoint(endpoint, at, portNames, out));
      case "DNS", "DNS_ROUND_ROBIN" -> {
        if (!nonEmpty(spec, "endpoints")) {
          Findings.eachText(spec, "hosts", "spec", (at, host) -> {
            if (IstioFormats.fqdnError(host).isPresent()) {
              out.add(at, host, "hosts must be fully qualified names when resolution is " + resolution
                  + " and no endpoints are given");
            }
          });
        }
        Findings.eachObject(spec, "endpoints", "spec", (at, endpoint) -> dnsEndpoint(endpoint, at, portNames, out));
      }
      default -> { }
    }
    if (!resolution.equals("NONE") && spec.path("hosts").size() > 1) {
      Findings.eachObject(spec, "ports", "spec", (at, port) -> {
        String protocol = text(port, "protocol");
        if (!IstioFormats.isHttpProtocol(protocol) && !IstioFormats.isTlsProtocol(protocol)) {
          out.add(at + ".protocol", protocol, "a ServiceEntry with several hosts can only have HTTP or TLS ports "
              + "(plain TCP cannot tell the hosts apart) unless resolution is NONE");
        }
      });
    }
    CommonChecks.labels(spec.path("workloadSelector").path("labels"), "spec.workloadSelector.labels", out);
    CommonChecks.exportTo(spec, namespace, true, out);
  }

  static void workloadEntry(JsonNode spec, Findings out) {
    String address = text(spec, "address");
    if (!address.isEmpty() && !address.startsWith(UNIX) && !IstioFormats.isIp(address)
        && IstioFormats.fqdnError(address).isPresent()) {
      out.add("spec.address", address, "not a valid FQDN or IP address");
    }
    endpointPorts(spec, "spec", null, out);
    CommonChecks.labels(spec.path("labels"), "spec.labels", out);
  }

  private static void staticEndpoint(JsonNode endpoint, String path, Set<String> portNames, Findings out) {
    String address = text(endpoint, "address");
    if (address.startsWith(UNIX)) {
      if (portNames.size() != 1) {
        out.add(path + ".address", address, "a unix domain socket endpoint needs exactly one service port");
      }
    } else if (!address.isEmpty() && !IstioFormats.isIp(address)) {
      out.add(path + ".address", address, "endpoint address must be an IP address when resolution is STATIC");
    }
    endpointPorts(endpoint, path, portNames, out);
    CommonChecks.labels(endpoint.path("labels"), path + ".labels", out);
  }

  private static void dnsEndpoint(JsonNode endpoint, String path, Set<String> portNames, Findings out) {
    String address = text(endpoint, "address");
    if (!address.isEmpty() && !IstioFormats.isIp(address) && IstioFormats.fqdnError(address).isPresent()) {
      out.add(path + ".address", address, "endpoint address is not a valid FQDN or IP address");
    }
    endpointPorts(endpoint, path, portNames, out);
    CommonChecks.labels(endpoint.path("labels"), path + ".labels", out);
  }

  private static void endpointPorts(JsonNode endpoint, String path, Set<String> portNames, Findings out) {
    Findings.eachEntry(endpoint, "ports", path, (at, name, port) -> {
      if (portNames != null && !portNames.contains(name)) {
        out.add(at, name, "endpoint port " + name + " is not a port of the ServiceEntry " + portNames.stream()
            .sorted().toList());
      }
      if (!IstioFormats.isDns1123Label(name)) {
        out.add(at, name, "invalid port name; use a DNS-1123 label");
      }
    });
  }
}
