package dev.inboard.mesh.agent.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.ProxyStatus;
import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import java.util.List;

/** The control API's JSON documents. */
public final class ApiJson {
  /** Shared mapper; output is indented for people reading it. */
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The xDS types {@code proxy-config} shows, in the order {@code all} prints them. */
  public enum XdsType {
    LISTENERS, ROUTES, CLUSTERS, ENDPOINTS;

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@code listeners|routes|clusters|endpoints}; {@code all} is every type.
     *
     * @throws IllegalArgumentException whose message completes "TYPE ..." for the caller's name of the value
     */
    public static List<XdsType> parse(String text) {
      if (text.equals("all")) {
        return List.of(values());
      }
      for (XdsType t : values()) {
        if (t.key().equals(text)) {
          return List.of(t);
        }
      }
      throw new IllegalArgumentException("must be one of listeners, routes, clusters, endpoints, all; was '"
          + text + "'");
    }
  }

  private ApiJson() {}

  public static ObjectNode update(ConfigUpdate update) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("accepted", update.accepted());
    ArrayNode changes = out.putArray("changes");
    for (ConfigUpdate.Change c : update.changes()) {
      changes.addObject().put("resource", c.resource()).put("action", c.action().verb());
    }
    ArrayNode notFound = out.putArray("notFound");
    update.notFound().forEach(notFound::add);
    out.set("problems", problems(update.problems()));
    ArrayNode notes = out.putArray("notes");
    update.notes().forEach(notes::add);
    return out;
  }

  public static ArrayNode problems(List<ConfigProblem> problems) {
    ArrayNode out = MAPPER.createArrayNode();
    for (ConfigProblem p : problems) {
      out.addObject()
          .put("file", p.file())
          .put("resource", p.resource())
          .put("field", p.field())
          .put("value", p.value())
          .put("message", p.message())
          .put("text", p.toString());
    }
    return out;
  }

  public static ObjectNode proxyStatus(List<ProxyStatus> proxies) {
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode list = out.putArray("proxies");
    for (ProxyStatus p : proxies) {
      ObjectNode proxy = list.addObject()
          .put("name", p.name())
          .put("nodeId", p.nodeId())
          .put("namespace", p.namespace())
          .put("workload", p.workload())
          .put("clusterId", p.clusterId())
          .put("protocol", p.protocol())
          .put("connectedAt", p.connectedAt().toString())
          .put("registered", p.registered());
      ArrayNode addresses = proxy.putArray("addresses");
      p.addresses().forEach(addresses::add);
      p.generationError().ifPresent(e -> proxy.put("generationError", e));
      ArrayNode types = proxy.putArray("types");
      for (ProxyStatus.TypeStatus t : p.types()) {
        ObjectNode type = types.addObject()
            .put("type", t.type())
            .put("typeUrl", t.typeUrl())
            .put("state", t.state().name())
            .put("sentVersion", t.sentVersion())
            .put("sentNonce", t.sentNonce())
            .put("ackedVersion", t.ackedVersion())
            .put("ackedNonce", t.ackedNonce());
        t.lastNack().ifPresent(n -> type.putObject("lastNack")
            .put("version", n.version())
            .put("nonce", n.nonce())
            .put("message", n.message())
            .put("time", n.time().toString()));
      }
    }
    return out;
  }

  /** {@code proxy-config}: who it is for, then each asked-for type as a list of protojson resources. */
  public static ObjectNode proxyConfig(String proxy, String nodeId, boolean connected, GeneratedXds xds,
      List<XdsType> types) {
    ObjectNode out = MAPPER.createObjectNode()
        .put("proxy", proxy)
        .put("nodeId", nodeId)
        .put("connected", connected);
    for (XdsType type : types) {
      ArrayNode resources = out.putArray(type.key());
      List<? extends Message> messages = switch (type) {
        case LISTENERS -> xds.listeners();
        case ROUTES -> xds.routes();
        case CLUSTERS -> xds.clusters();
        case ENDPOINTS -> xds.endpoints();
      };
      for (Message m : messages) {
        resources.add(protoJson(m));
      }
    }
    return out;
  }

  public static ObjectNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  private static JsonNode protoJson(Message m) {
    try {
      return MAPPER.readTree(XdsJson.print(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("protojson of " + m.getDescriptorForType().getFullName()
          + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
