package dev.inboard.mesh.agent.analyze;

import java.util.Set;

/** The keys an AuthorizationPolicy {@code when} condition may use, and the values each accepts. */
final class ConditionKeys {
  private static final Set<String> PLAIN = Set.of("source.namespace", "source.principal", "source.trustDomain",
      "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "connection.sni");
  private static final Set<String> IP = Set.of("source.ip", "remote.ip", "destination.ip");
  private static final Set<String> BRACKETED = Set.of("request.headers", "request.experimental.inline.headers",
      "request.auth.claims");
  private static final String EXPERIMENTAL = "experimental.envoy.filters.";

  private ConditionKeys() {}

  static void key(String key, String path, Findings out) {
    if (PLAIN.contains(key) || IP.contains(key) || key.equals("destination.port")
        || key.equals("source.serviceAccount")) {
      return;
    }
    for (String prefix : BRACKETED) {
      if (key.startsWith(prefix + "[") || key.equals(prefix)) {
        bracketed(key, path, out);
        return;
      }
    }
    if (key.startsWith(EXPERIMENTAL)) {
      bracketed(key, path, out);
    } else if (key.equals("destination.namespace")) {
      out.add(path, key, "destination.namespace is replaced by the policy's metadata.namespace");
    } else if (key.startsWith("destination.labels")) {
      out.add(path, key, "destination.labels is replaced by the workload selector");
    } else if (key.equals("destination.name") || key.equals("destination.user")) {
      out.add(path, key, "deprecated attribute, only supported in v1alpha1");
    } else {
      out.add(path, key, "unknown condition key; see istio.io/docs/reference/config/security/conditions");
    }
  }

  /** Checks one value of a condition; values of unknown keys are not checked (the key is reported). */
  static void value(String key, String value, String path, Findings out) {
    if (value.isEmpty()) {
      out.add(path, value, "empty value not allowed");
    } else if (IP.contains(key)) {
      IstioFormats.ipOrCidrError(value).ifPresent(reason -> out.add(path, value, reason));
    } else if (key.equals("destination.port")) {
      SecurityChecks.port(value, path, out);
    } else if (key.equals("source.serviceAccount")) {
      SecurityChecks.serviceAccount(value, path, out);
    }
  }

  private static void bracketed(String key, String path, Findings out) {
    int open = key.indexOf('[');
    if (!(key.endsWith("]") && open > 0 && open < key.length() - 2)) {
      out.add(path, key, "bad key: should have the form name[entry]");
    }
  }
}
