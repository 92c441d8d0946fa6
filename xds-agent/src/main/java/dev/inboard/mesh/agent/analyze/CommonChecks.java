package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.has;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks shared by several kinds: destinations, string matches, header operations, labels, exportTo, TLS. */
final class CommonChecks {
  private CommonChecks() {}

  /** A route or mirror destination: a host (not {@code *}), an optional DNS-label subset and port. */
  static void destination(JsonNode destination, String path, Findings out) {
    if (!destination.isObject()) {
      return;
    }
    String host = text(destination, "host");
    if (host.equals("*")) {
      out.add(path + ".host", host, "invalid destination host; * matches no service");
    } else if (destination.path("host").isTextual()) {
      IstioFormats.wildcardDomainError(host).ifPresent(reason -> out.add(path + ".host", host, reason));
    }
    if (destination.path("subset").isTextual()) {
      subsetName(text(destination, "subset"), path + ".subset", out);
    }
    JsonNode number = destination.path("port").path("number");
    if (number.isNumber()) {
      IstioFormats.portError(number.asLong()).ifPresent(reason -> out.add(path + ".port.number", number, reason));
    }
  }

  static void subsetName(String name, String path, Findings out) {
    if (name.isEmpty()) {
      out.add(path, "", "subset name cannot be empty");
    } else if (!IstioFormats.isDns1123Label(name)) {
      out.add(path, name, "subset name must be a DNS-1123 label (letters, digits, '-'; at most 63)");
    }
  }

  /** A {@code StringMatch} whose regex must be valid RE2. */
  static void stringMatchRegex(JsonNode match, String path, Findings out) {
    JsonNode regex = match.path("regex");
    if (regex.isTextual()) {
      IstioFormats.regexError(regex.asText()).ifPresent(reason -> out.add(path + ".regex", regex, reason));
    }
  }

  /** {@code headers.request/response.set/add/remove} as the route filter applies them. */
  static void headerOperations(JsonNode headers, String path, Findings out) {
    for (String direction : List.of("request", "response")) {
      JsonNode ops = headers.path(direction);
      String at = path + "." + direction;
      boolean request = direction.equals("request");
      for (String op : List.of("set", "add")) {
        Findings.eachEntry(ops, op, at, (field, name, value) -> {
          headerOperationName(name, request, field, out);
          if (value.isTextual()) {
            headerValue(value.asText(), field, out);
          }
        });
      }
      Findings.eachText(ops, "remove", at, (field, name) -> headerOperationName(name, false, field, out));
    }
  }

  private static void headerOperationName(String name, boolean authorityAllowed, String field, Findings out) {
    if (name.isEmpty()) {
      out.add(field, name, "header name cannot be empty");
      return;
    }
    boolean authority = name.equalsIgnoreCase(":authority") || name.equalsIgnoreCase("host");
    if (authority && authorityAllowed) {
      return;
    }
    if (name.equalsIgnoreCase("host")) {
      out.add(field, name, "cannot set or remove the Host header here");
    } else if (name.startsWith(":")) {
      out.add(field, name, "pseudo-headers (\":\" prefix) cannot be modified");
    }
  }

  /** A header value Envoy accepts: no control characters, {@code %} only in {@code %%} or {@code %VARIABLE%}. */
  static void headerValue(String value, String field, Findings out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        out.add(field, value, "header value contains a control character");
        return;
      }
    }
    int i = 0;
    while (i < value.length()) {
      if (value.charAt(i) != '%') {
        i++;
        continue;
      }
      if (i + 1 < value.length() && value.charAt(i + 1) == '%') {
        i += 2;
        continue;
      }
      int close = value.indexOf('%', i + 1);
      if (close < 0 || close == i + 1) {
        out.add(field, value, "invalid header value: a single % must start a %VARIABLE%; write %% for a literal %");
        return;
      }
      i = close + 1;
    }
  }

  /** Labels of a selector or a workload: Kubernetes syntax, no wildcards, no empty keys. */
  static void labels(JsonNode labels, String path, Findings out) {
    if (!labels.isObject()) {
      return;
    }
    labels.fields().forEachRemaining(e -> {
      String value = e.getValue().isTextual() ? e.getValue().asText() : "";
      IstioFormats.labelError(e.getKey(), value)
          .ifPresent(reason -> out.add(path + "[" + e.getKey() + "]", value, reason));
    });
  }

  /**
   * {@code exportTo}: {@code .}, {@code *}, {@code ~} (ServiceEntry only) or namespaces; no duplicates, {@code *}
   * and {@code ~} alone.
   */
  static void exportTo(JsonNode spec, String namespace, boolean serviceEntry, Findings out) {
    JsonNode exportTo = spec.path("exportTo");
    if (!exportTo.isArray() || exportTo.isEmpty()) {
      return;
    }
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < exportTo.size(); i++) {
      String field = "spec.exportTo[" + i + "]";
      String entry = exportTo.get(i).asText();
      String key = entry.equals(".") ? namespace : entry;
      String earlier = seen.putIfAbsent(key, entry);
      if (earlier != null) {
        out.add(field, entry, earlier.equals(entry) ? "duplicate entry in exportTo"
            : "duplicate entry in exportTo: . is the current namespace " + namespace);
        continue;
      }
      boolean special = entry.equals(".") || entry.equals("*") || entry.equals("~") && serviceEntry;
      if (!special && !IstioFormats.isDns1123Label(entry)) {
        out.add(field, entry, "exportTo entries must be '.', '*'" + (serviceEntry ? ", '~'" : "")
            + " or a namespace name");
      }
    }
    if (seen.containsKey("*") && exportTo.size() > 1) {
      out.add("spec.exportTo", exportTo, "cannot have both public (*) and non-public exportTo values");
    }
    if (seen.containsKey("~") && serviceEntry && exportTo.size() > 1) {
      out.add("spec.exportTo", exportTo, "cannot export a service entry to no one (~) and someone");
    }
  }

  /** Client TLS settings (DestinationRule {@code tls}) as istiod validates them. */
  static void clientTls(JsonNode tls, String path, Findings out) {
    if (!tls.isObject()) {
      return;
    }
    String mode = text(tls, "mode");
    boolean credentialName = !text(tls, "credentialName").isEmpty();
    if (tls.path("insecureSkipVerify").asBoolean(false)) {
      if (mode.equals("SIMPLE") && (!text(tls, "caCertificates").isEmpty() || credentialName
          || has(tls, "subjectAltNames"))) {
        out.add(path + ".insecureSkipVerify", "true",
            "cannot specify caCertificates, credentialName or subjectAltNames when insecureSkipVerify is true");
      }
      if (mode.equals("MUTUAL") && (!text(tls, "caCertificates").isEmpty() || has(tls, "subjectAltNames"))) {
        out.add(path + ".insecureSkipVerify", "true",
            "cannot specify caCertificates or subjectAltNames when insecureSkipVerify is true");
      }
    }
    if ((mode.equals("SIMPLE") || mode.equals("MUTUAL")) && credentialName) {
      for (String field : List.of("clientCertificate", "privateKey", "caCertificates", "caCrl")) {
        if (!text(tls, field).isEmpty()) {
          out.add(path + "." + field, text(tls, field),
              "cannot be set together with credentialName (the credential provides it)");
        }
      }
      return;
    }
    if (mode.equals("MUTUAL")) {
      if (text(tls, "clientCertificate").isEmpty()) {
        out.add(path + ".clientCertificate", "", "required for mode MUTUAL (or set credentialName)");
      }
      if (text(tls, "privateKey").isEmpty()) {
        out.add(path + ".privateKey", "", "required for mode MUTUAL (or set credentialName)");
      }
    }
  }
}
