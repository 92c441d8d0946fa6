package dev.inboard.mesh.bootstrap;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses gRPC's xDS bootstrap JSON as istio-agent writes it ({@code GRPC_XDS_BOOTSTRAP}). Unknown keys are ignored
 * (istio-agent's files carry {@code "UserAgentVersionType": null}, an empty {@code locality}, even a misspelt
 * {@code "localisty"}). Only the first of {@code xds_servers} is used.
 */
final class BootstrapJson {
  private BootstrapJson() {}

  private static final Logger log = LoggerFactory.getLogger(BootstrapJson.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern START_MARKER =
      Pattern.compile("\\s*\\(start marker at \\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]\\)");

  static final String SERVER_EXAMPLE =
      "\"xds_servers\": [{\"server_uri\": \"unix:///etc/istio/proxy/XDS\", "
          + "\"channel_creds\": [{\"type\": \"insecure\"}]}]";
  static final String NODE_ID_EXAMPLE = "\"sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local\"";

  /**
   * The bootstrap in a JSON text.
   *
   * @param source where the text came from, the start of every error message
   * @throws BootstrapException naming the source, the field and the fix
   */
  static XdsBootstrap parse(String json, String source) {
    JsonNode root = readTree(json, source);
    Reader r = new Reader(source);
    if (!root.isObject()) {
      throw r.fail("", "the bootstrap must be a JSON object, was " + kind(root));
    }
    ControlPlaneServer server = new ServerJson(r).parse(root);
    NodeInfo node = node(r, root.get("node"));
    Map<String, CertificateProviderConfig> providers =
        new CertificateProvidersJson(r).parse(root.get("certificate_providers"));
    Optional<String> template = r.optionalString(root, "server_listener_resource_name_template", "");
    return new XdsBootstrap(server, node, providers, template, source);
  }

  private static JsonNode readTree(String json, String source) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || root.isMissingNode()) {
        throw new BootstrapException(
            source + ": the bootstrap is empty; it must be a JSON object with " + SERVER_EXAMPLE);
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BootstrapException(source + ": invalid JSON" + where + ": " + describe(e), e);
    }
  }

  /** Jackson's message without its multi-line source excerpt. */
  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    Matcher m = START_MARKER.matcher(message);
    return m.replaceAll(" (opened at line $1, column $2)");
  }

  private static NodeInfo node(Reader r, JsonNode node) {
    if (node == null || node.isNull()) {
      throw r.fail("node", "is missing; add \"node\": {\"id\": " + NODE_ID_EXAMPLE + "}");
    }
    r.requireObject(node, "node");
    String id =
        r.optionalString(node, "id", "node")
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> r.fail("node.id", "is missing; set it to the Istio node id, e.g. " + NODE_ID_EXAMPLE));
    String cluster = r.optionalString(node, "cluster", "node").orElse("");
    Map<String, Object> metadata = Map.of();
    JsonNode meta = node.get("metadata");
    if (meta != null && !meta.isNull()) {
      r.requireObject(meta, "node.metadata");
      metadata = JsonValues.objectFromJson(meta);
    }
    NodeInfo.Locality locality = NodeInfo.Locality.EMPTY;
    JsonNode loc = node.get("locality");
    if (loc != null && !loc.isNull()) {
      r.requireObject(loc, "node.locality");
      String subZone =
          r.optionalString(loc, "sub_zone", "node.locality")
              .or(() -> r.optionalString(loc, "subZone", "node.locality"))
              .orElse("");
      locality =
          new NodeInfo.Locality(
              r.optionalString(loc, "region", "node.locality").orElse(""),
              r.optionalString(loc, "zone", "node.locality").orElse(""),
              subZone);
    }
    return new NodeInfo(id, cluster, metadata, locality, NodeInfo.USER_AGENT_NAME, NodeInfo.USER_AGENT_VERSION);
  }

  /** The {@code xds_servers} part. */
  private static final class ServerJson {
    private final Reader r;

    ServerJson(Reader r) {
      this.r = r;
    }

    ControlPlaneServer parse(JsonNode root) {
      JsonNode servers = root.get("xds_servers");
      if (servers == null || servers.isNull()) {
        throw r.fail("xds_servers", "is missing; add the control plane, e.g. " + SERVER_EXAMPLE);
      }
      if (!servers.isArray()) {
        throw r.fail("xds_servers", "must be a list, was " + kind(servers));
      }
      if (servers.isEmpty()) {
        throw r.fail("xds_servers", "is empty; add the control plane, e.g. " + SERVER_EXAMPLE);
      }
      if (servers.size() > 1) {
        log.info(
            "{}: xds_servers has {} entries; using the first, {} (fallback to the others is not supported)",
            r.source,
            servers.size(),
            servers.get(0).path("server_uri").asText());
      }
      return server(servers.get(0), "xds_servers[0]");
    }

    private ControlPlaneServer server(JsonNode server, String path) {
      r.requireObject(server, path);
      String uri =
          r.optionalString(server, "server_uri", path)
              .filter(s -> !s.isBlank())
              .orElseThrow(
                  () ->
                      r.fail(
                          path + ".server_uri",
                          "is missing; set it to the control plane address, e.g. \"unix:///etc/istio/proxy/XDS\""));
      try {
        ControlPlaneTarget.parse(uri);
      } catch (IllegalArgumentException e) {
        throw r.fail(path + ".server_uri", "\"" + uri + "\" " + e.getMessage() + "; " + ControlPlaneTarget.FORMS);
      }
      ChannelSecurity security = channelCreds(server.get("channel_creds"), path + ".channel_creds");
      Optional<Path> token = callCreds(server.get("call_creds"), path + ".call_creds");
      if (token.isPresent() && !(security instanceof ChannelSecurity.Tls)) {
        throw r.fail(
            path + ".call_creds",
            "sends a bearer token over an insecure channel; use \"tls\" channel_creds or remove the call_creds");
      }
      Set<String> features = new LinkedHashSet<>(r.stringList(server, "server_features", path));
      return new ControlPlaneServer(uri, security, token, features);
    }

    private ChannelSecurity channelCreds(JsonNode creds, String path) {
      String fix = "set it to [{\"type\": \"insecure\"}] for istio-agent's socket or [{\"type\": \"tls\"}] for TLS";
      if (creds == null || creds.isNull() || (creds.isArray() && creds.isEmpty())) {
        throw r.fail(path, "is missing; " + fix);
      }
      if (!creds.isArray()) {
        throw r.fail(path, "must be a list, was " + kind(creds));
      }
      List<String> unsupported = new ArrayList<>();
      for (int i = 0; i < creds.size(); i++) {
        String at = path + "[" + i + "]";
        JsonNode entry = creds.get(i);
        r.requireObject(entry, at);
        String type =
            r.optionalString(entry, "type", at)
                .orElseThrow(() -> r.fail(at + ".type", "is missing; " + fix));
        // Like gRPC, the first supported type wins.
        if (type.equals("insecure")) {
          return ChannelSecurity.PLAINTEXT;
        }
        if (type.equals("tls")) {
          return tls(entry.get("config"), at + ".config");
        }
        unsupported.add("\"" + type + "\"");
      }
      throw r.fail(
          path,
          "has no supported type (got " + String.join(", ", unsupported) + "); use \"insecure\" (plaintext, e.g. to "
              + "istio-agent's socket) or \"tls\"");
    }

    private ChannelSecurity tls(JsonNode config, String path) {
      if (config == null || config.isNull()) {
        return new ChannelSecurity.Tls(Optional.empty(), Optional.empty());
      }
      r.requireObject(config, path);
      for (String clientField : List.of("certificate_file", "private_key_file")) {
        if (config.has(clientField)) {
          throw r.fail(
              path + "." + clientField,
              "is not supported: this client does not present a certificate to the control plane; remove it and "
                  + "authenticate with a token (call_creds jwt_token_file)");
        }
      }
      Optional<Path> ca = r.optionalString(config, "ca_certificate_file", path).map(Path::of);
      return new ChannelSecurity.Tls(ca, Optional.empty());
    }

    private Optional<Path> callCreds(JsonNode creds, String path) {
      if (creds == null || creds.isNull()) {
        return Optional.empty();
      }
      if (!creds.isArray()) {
        throw r.fail(path, "must be a list, was " + kind(creds));
      }
      Optional<Path> token = Optional.empty();
      for (int i = 0; i < creds.size(); i++) {
        String at = path + "[" + i + "]";
        JsonNode entry = creds.get(i);
        r.requireObject(entry, at);
        String type = r.optionalString(entry, "type", at).orElse("");
        if (!type.equals("jwt_token_file")) {
          throw r.fail(at + ".type", "\"" + type + "\" is not supported; use \"jwt_token_file\"");
        }
        JsonNode config = entry.get("config");
        r.requireObject(config == null ? JSON.nullNode() : config, at + ".config");
        String file =
            r.optionalString(config, "jwt_token_file", at + ".config")
                .filter(s -> !s.isBlank())
                .orElseThrow(
                    () ->
                        r.fail(
                            at + ".config.jwt_token_file",
                            "is missing; set it to the token file, e.g. \"/var/run/secrets/tokens/istio-token\""));
        token = Optional.of(Path.of(file));
      }
      return token;
    }
  }

  /** Typed access to JSON fields with path-qualified errors. */
  static final class Reader {
    final String source;

    Reader(String source) {
      this.source = source;
    }

    BootstrapException fail(String path, String reason) {
      return new BootstrapException(source + ": " + (path.isEmpty() ? "" : path + " ") + reason);
    }

    void requireObject(JsonNode node, String path) {
      if (!node.isObject()) {
        throw fail(path, "must be a JSON object, was " + kind(node));
      }
    }

    Optional<String> optionalString(JsonNode parent, String field, String parentPath) {
      JsonNode value = parent.get(field);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        throw fail(join(parentPath, field), "must be a string, was " + kind(value));
      }
      return Optional.of(value.textValue());
    }

    List<String> stringList(JsonNode parent, String field, String parentPath) {
      JsonNode value = parent.get(field);
      if (value == null || value.isNull()) {
        return List.of();
      }
      String path = join(parentPath, field);
      if (!value.isArray()) {
        throw fail(path, "must be a list of strings, was " + kind(value));
      }
      List<String> strings = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        if (!value.get(i).isTextual()) {
          throw fail(path + "[" + i + "]", "must be a string, was " + kind(value.get(i)));
        }
        strings.add(value.get(i).textValue());
      }
      return strings;
    }

    static String join(String parentPath, String field) {
      return parentPath.isEmpty() ? field : parentPath + "." + field;
    }
  }

  static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "null";
  }
}
