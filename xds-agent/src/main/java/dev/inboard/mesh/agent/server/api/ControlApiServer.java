package dev.inboard.mesh.agent.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.DescribedProxies;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.ProxyLookupException;
import dev.inboard.mesh.agent.server.ServedProxy;
import dev.inboard.mesh.agent.server.YamlSource;
import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import dev.inboard.mesh.agent.xdsgen.ProxyView;
import dev.inboard.mesh.bootstrap.ConfigShape;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API on loopback, JSON over HTTP:
 *
 * <ul>
 *   <li>{@code POST /v1/apply}, {@code POST /v1/delete}: a YAML body ({@code ?source=NAME} names it in problems),
 *       or JSON {@code {"files":[{"source":"a.yaml","yaml":"..."}]}} for several files applied as one change;
 *       200 with the changes, or 400 with the problems (nothing changed);
 *   <li>{@code GET /v1/proxy-status}: connected proxies and their sync state per type;
 *   <li>{@code GET /v1/proxy-config?type=listeners|routes|clusters|endpoints|all} with {@code proxy=name.namespace}
 *       (connected), or {@code namespace=NS&labels=k=v,...&serviceAccount=SA[&generator=grpc]} (described; need
 *       not be connected): the xDS as protojson.
 * </ul>
 */
public final class ControlApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlApiServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final LocalControlPlane controlPlane;

  private record Response(int status, JsonNode body) {}

  private ControlApiServer(HttpServer server, ExecutorService executor, LocalControlPlane controlPlane) {
    this.server = server;
    this.executor = executor;
    this.controlPlane = controlPlane;
  }

  /** Binds {@code address} and serves {@code controlPlane}'s API. */
  public static ControlApiServer start(InetSocketAddress address, LocalControlPlane controlPlane) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "inboard-control-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    ControlApiServer api = new ControlApiServer(server, executor, controlPlane);
    api.route("/v1/apply", "POST", api::apply);
    api.route("/v1/delete", "POST", api::delete);
    api.route("/v1/proxy-status", "GET", exchange -> new Response(200,
        ApiJson.proxyStatus(controlPlane.proxyStatus())));
    api.route("/v1/proxy-config", "GET", api::proxyConfig);
    api.route("/", "", exchange -> new Response(404, ApiJson.error("no such endpoint: "
        + exchange.getRequestURI().getPath() + "; see /v1/apply, /v1/delete, /v1/proxy-status, /v1/proxy-config")));
    server.start();
    return api;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void route(String path, String method, Function<HttpExchange, Response> handler) {
    server.createContext(path, exchange -> {
      Response response;
      try {
        if (!method.isEmpty() && !method.equals(exchange.getRequestMethod())) {
          response = new Response(405, ApiJson.error(path + " takes " + method + ", not "
              + exchange.getRequestMethod()));
        } else {
          response = handler.apply(exchange);
        }
      } catch (IllegalArgumentException e) {
        response = new Response(400, ApiJson.error(e.getMessage()));
      } catch (ProxyLookupException e) {
        response = new Response(404, ApiJson.error(e.getMessage()));
      } catch (RuntimeException e) {
        log.error("control API {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        response = new Response(500, ApiJson.error("internal error: " + e));
      }
      send(exchange, response);
    });
  }

  private Response apply(HttpExchange exchange) {
    return update(controlPlane.apply(sources(exchange)));
  }

  private Response delete(HttpExchange exchange) {
    return update(controlPlane.delete(sources(exchange)));
  }

  private static Response update(ConfigUpdate update) {
    return new Response(update.accepted() ? 200 : 400, ApiJson.update(update));
  }

  private Response proxyConfig(HttpExchange exchange) {
    Map<String, String> query = query(exchange);
    List<ApiJson.XdsType> types;
    try {
      types = ApiJson.XdsType.parse(query.getOrDefault("type", "all"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("type " + e.getMessage(), e);
    }
    String proxy = query.getOrDefault("proxy", "");
    String namespace = query.getOrDefault("namespace", "");
    if (!proxy.isEmpty()) {
      if (!namespace.isEmpty() || query.containsKey("labels")) {
        throw new IllegalArgumentException("give either proxy=name.namespace or namespace and labels, not both");
      }
      ServedProxy served = controlPlane.servedTo(proxy);
      return new Response(200, ApiJson.proxyConfig(served.name(), served.nodeId(), true, served.xds(), types));
    }
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("name a proxy (proxy=name.namespace) or describe a workload "
          + "(namespace=NS&labels=k=v,...[&serviceAccount=SA])");
    }
    ConfigShape shape = switch (query.getOrDefault("generator", "sidecar")) {
      case "sidecar" -> ConfigShape.SIDECAR;
      case "grpc" -> ConfigShape.GRPC;
      default -> throw new IllegalArgumentException("generator must be sidecar or grpc, was '"
          + query.get("generator") + "'");
    };
    ProxyView view = DescribedProxies.describe(namespace, Labels.parse(query.getOrDefault("labels", "")),
        query.getOrDefault("serviceAccount", "default"), shape);
    GeneratedXds xds = controlPlane.generateFor(view);
    return new Response(200, ApiJson.proxyConfig(DescribedProxies.POD_NAME + "." + namespace, view.id(), false, xds,
        types));
  }

  /** The YAML of a request: a raw YAML body, or JSON listing files. */
  private static List<YamlSource> sources(HttpExchange exchange) {
    String body = body(exchange);
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.startsWith("application/json")) {
      return List.of(new YamlSource(query(exchange).getOrDefault("source", "-"), body));
    }
    JsonNode files;
    try {
      files = ApiJson.MAPPER.readTree(body).path("files");
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
    }
    if (!files.isArray()) {
      throw new IllegalArgumentException("a JSON body must be {\"files\":[{\"source\":\"...\",\"yaml\":\"...\"}]}");
    }
    List<YamlSource> out = new ArrayList<>();
    for (JsonNode file : files) {
      if (!file.path("yaml").isTextual()) {
        throw new IllegalArgumentException("files[" + out.size() + "].yaml must be a string");
      }
      out.add(new YamlSource(file.path("source").asText("-"), file.path("yaml").asText()));
    }
    return out;
  }

  private static String body(HttpExchange exchange) {
    try {
      return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the request body: " + e.getMessage());
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = ApiJson.MAPPER.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
