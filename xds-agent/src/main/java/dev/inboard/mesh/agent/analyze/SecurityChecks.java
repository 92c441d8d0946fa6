package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.has;
import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** AuthorizationPolicy, RequestAuthentication and PeerAuthentication as istiod validates them beyond the schema. */
final class SecurityChecks {
  static final String DRY_RUN = "istio.io/dry-run";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> GO_BOOLEANS =
      Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False");
  private static final List<String> IP_LISTS = List.of("ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks");
  private static final List<String> CUSTOM_UNSUPPORTED_SOURCES = List.of("namespaces", "notNamespaces", "principals",
      "notPrincipals", "requestPrincipals", "notRequestPrincipals");
  /** What {@code targetRef}/{@code targetRefs} may point to: canonical group and kind. */
  private static final Set<String> TARGET_KINDS =
      Set.of("core/Service", "networking.istio.io/ServiceEntry", "gateway.networking.k8s.io/Gateway");

  private SecurityChecks() {}

  static void authorizationPolicy(JsonNode spec, Map<String, String> annotations, Findings out) {
    selectorAndTargets(spec, out);
    String action = text(spec, "action").isEmpty() ? "ALLOW" : text(spec, "action");
    boolean rules = nonEmpty(spec, "rules");
    if (action.equals("CUSTOM")) {
      if (!rules) {
        out.add("spec.rules", "", "a CUSTOM policy without rules never triggers; add an empty rule {} to apply it "
            + "to every request");
      } else if (text(spec.path("provider"), "name").isEmpty()) {
        out.add("spec.provider.name", "", "a CUSTOM policy needs provider.name");
      }
    } else if (has(spec, "provider")) {
      out.add("spec.provider", spec.path("provider"), "provider is only allowed with action CUSTOM, found " + action);
    }
    if (action.equals("DENY") && !rules) {
      out.add("spec.rules", "", "a DENY policy without rules never triggers; add an empty rule {} to deny every "
          + "request");
    }
    JsonNode list = spec.path("rules");
    for (int i = 0; list.isArray() && i < list.size(); i++) {
      String at = "spec.rules[" + i + "]";
      if (!list.get(i).isObject()) {
        out.add(at, list.get(i), "a rule must not be null; write {} to match everything");
        continue;
      }
      rule(list.get(i), at, action.equals("CUSTOM"), out);
    }
    String dryRun = annotations.get(DRY_RUN);
    if (dryRun != null) {
      if (!action.equals("ALLOW") && !action.equals("DENY")) {
        out.add("metadata.annotations[" + DRY_RUN + "]", dryRun,
            "dry-run is only supported for ALLOW and DENY policies, found " + action);
      } else if (!GO_BOOLEANS.contains(dryRun)) {
        out.add("metadata.annotations[" + DRY_RUN + "]", dryRun, "dry-run must be true or false");
      }
    }
  }

  private static void rule(JsonNode rule, String path, boolean custom, Findings out) {
    Findings.eachObject(rule, "from", path, (at, from) -> {
      JsonNode source = from.path("source");
      if (!source.isObject()) {
        out.add(at + ".source", "", "from needs a source");
        return;
      }
      if (!anyNonEmptyList(source)) {
        out.add(at + ".source", source, "source must not be empty");
      }
      for (String ips : IP_LISTS) {
        Findings.eachText(source, ips, at + ".source", (ipAt, ip) ->
            IstioFormats.ipOrCidrError(ip).ifPresent(reason -> out.add(ipAt, ip, reason)));
      }
      emptyValues(source, at + ".source", out);
      for (String accounts : List.of("serviceAccounts", "notServiceAccounts")) {
        Findings.eachText(source, accounts, at + ".source", (saAt, sa) -> serviceAccount(sa, saAt, out));
      }
      if (custom) {
        for (String field : CUSTOM_UNSUPPORTED_SOURCES) {
          if (nonEmpty(source, field)) {
            out.add(at + ".source." + field, source.path(field), "not supported with action CUSTOM");
          }
        }
      }
    });
    Findings.eachObject(rule, "to", path, (at, to) -> {
      JsonNode operation = to.path("operation");
      if (!operation.isObject()) {
        out.add(at + ".operation", "", "to needs an operation");
        return;
      }
      if (!anyNonEmptyList(operation)) {
        out.add(at + ".operation", operation, "operation must not be empty");
      }
      for (String ports : List.of("ports", "notPorts")) {
        Findings.eachText(operation, ports, at + ".operation", (portAt, port) -> port(port, portAt, out));
      }
      emptyValues(operation, at + ".operation", out);
      for (String paths : List.of("paths", "notPaths")) {
        Findings.eachText(operation, paths, at + ".operation", (pathAt, p) -> pathTemplate(p, pathAt, out));
      }
    });
    Findings.eachObject(rule, "when", path, (at, when) -> {
      String key = text(when, "key");
      if (key.isEmpty()) {
        out.add(at + ".key", "", "key must not be empty");
        return;
      }
      if (!nonEmpty(when, "values") && !nonEmpty(when, "notValues")) {
        out.add(at, when, "values or notValues must be set for key " + key);
      }
      for (String values : List.of("values", "notValues")) {
        Findings.eachText(when, values, at, (valueAt, value) -> ConditionKeys.value(key, value, valueAt, out));
      }
      ConditionKeys.key(key, at + ".key", out);
      if (custom && (key.equals("source.namespace") || key.equals("source.principal")
          || key.startsWith("request.auth."))) {
        out.add(at + ".key", key, "not supported with action CUSTOM");
      }
    });
  }

  private static boolean anyNonEmptyList(JsonNode node) {
    var fields = node.fields();
    while (fields.hasNext()) {
      JsonNode value = fields.next().getValue();
      if (value.isArray() && !value.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static void emptyValues(JsonNode node, String path, Findings out) {
    node.fields().forEachRemaining(field -> {
      JsonNode values = field.getValue();
      for (int i = 0; values.isArray() && i < values.size(); i++) {
        if (values.get(i).isTextual() && values.get(i).asText().isEmpty()) {
          out.add(path + "." + field.getKey() + "[" + i + "]", "", "empty value not allowed");
        }
      }
    });
  }

  static void port(String port, String path, Findings out) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
        || Long.parseLong(port) > 65535) {
      out.add(path, port, "not a port number (0..65535)");
    }
  }

  static void serviceAccount(String account, String path, Findings out) {
    if (account.contains("*")) {
      out.add(path, account, "wildcards are not allowed in service accounts");
      return;
    }
    String[] parts = account.split("/", -1);
    if (parts.length > 2 || parts.length == 2 && (parts[0].isEmpty() || parts[1].isEmpty()) || account.isEmpty()) {
      out.add(path, account, "expected serviceAccount or namespace/serviceAccount");
    } else if (account.length() > 320) {
      out.add(path, account, "service account cannot exceed 320 characters");
    }
  }

  /** A path with {@code {*}}/{@code {**}} templates: whole segments only, {@code {**}} last, pchar literals. */
  private static void pathTemplate(String path, String field, Findings out) {
    boolean template = path.contains("{*}") || path.contains("{**}");
    boolean matchAnySeen = false;
    String trimmed = path.replaceAll("^/+", "").replaceAll("/+$", "");
    for (String glob : trimmed.split("/", -1)) {
      if ((glob.equals("{*}") || glob.equals("{**}")) && matchAnySeen) {
        out.add(field, path, "invalid path template: {**} must be the last operator");
        return;
      }
      if (glob.equals("{*}")) {
        continue;
      }
      if (glob.equals("{**}")) {
        matchAnySeen = true;
        continue;
      }
      if (glob.contains("{") || glob.contains("}")) {
        out.add(field, path, "invalid path template: '{' or '}' outside {*} or {**}");
        return;
      }
      if (template && !glob.matches("[a-zA-Z0-9._~%!$&'()+,;:@=-]+")) {
        out.add(field, path, "invalid path template: segment \"" + glob + "\" is not a valid literal");
        return;
      }
    }
  }

  static void requestAuthentication(JsonNode spec, Findings out) {
    selectorAndTargets(spec, out);
    Findings.eachObject(spec, "jwtRules", "spec", (at, rule) -> {
      if (text(rule, "issuer").isEmpty() && text(rule, "jwksUri").isEmpty() && text(rule, "jwks_uri").isEmpty()) {
        out.add(at + ".issuer", "", "issuer must be set (it may only be omitted when jwksUri is given)");
      }
      String jwks = text(rule, "jwks");
      if (!jwks.isEmpty()) {
        jwksError(jwks).ifPresent(reason -> out.add(at + ".jwks", jwks, reason));
      }
      HttpRouteChecks.duration(rule, "timeout", at, out);
    });
  }

  private static java.util.Optional<String> jwksError(String jwks) {
    try {
      JsonNode parsed = JSON.readTree(jwks);
      boolean set = parsed.path("keys").isArray();
      boolean single = parsed.path("kty").isTextual();
      return set || single ? java.util.Optional.empty()
          : java.util.Optional.of("jwks must be a JSON Web Key Set ({\"keys\": [...]}) or a single JSON Web Key");
    } catch (JsonProcessingException e) {
      return java.util.Optional.of("jwks is not JSON: " + e.getOriginalMessage());
    }
  }

  static void peerAuthentication(JsonNode spec, Findings out) {
    CommonChecks.labels(spec.path("selector").path("matchLabels"), "spec.selector.matchLabels", out);
  }

  private static void selectorAndTargets(JsonNode spec, Findings out) {
    CommonChecks.labels(spec.path("selector").path("matchLabels"), "spec.selector.matchLabels", out);
    if (spec.path("targetRef").isObject()) {
      targetRef(spec.path("targetRef"), "spec.targetRef", out);
    }
    Findings.eachObject(spec, "targetRefs", "spec", (at, ref) -> targetRef(ref, at, out));
  }

  private static void targetRef(JsonNode ref, String path, Findings out) {
    String group = text(ref, "group").isEmpty() ? "core" : text(ref, "group");
    String kind = text(ref, "kind");
    if (!TARGET_KINDS.contains(group + "/" + kind)) {
      out.add(path + ".kind", text(ref, "group") + "/" + kind,
          "targetRef must point to a Service, a ServiceEntry (networking.istio.io) or a Gateway "
              + "(gateway.networking.k8s.io)");
    }
  }
}
