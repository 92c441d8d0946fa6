package dev.inboard.mesh.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inboard.mesh.agent.server.WorkloadInstances;
import dev.inboard.mesh.agent.server.api.Labels;
import dev.inboard.mesh.bootstrap.ConfigShape;
import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.engine.RouteDryRun;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.routing.Headers;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsClientOptions;
import dev.inboard.mesh.xds.XdsProtocol;
import dev.inboard.mesh.xds.XdsSyncState;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl route}: what a workload would do with one request. Connects to an xDS server (the local control
 * plane, or istiod) as the described workload with Inboard's own xDS client, runs the traffic engine on what it
 * received, and prints the decision: virtual host, route, the clusters chosen over N samples, timeout, retries,
 * fault, mirrors, redirect or direct response, or the failure with its response flag.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
    description = "Dry-run one request as a workload: which route, which clusters, which policies.")
final class RouteCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "METHOD", description = "HTTP method, e.g. GET.")
  private String method;

  @Parameters(index = "1", paramLabel = "URL", description = "The request URL, e.g. http://reviews:9080/reviews/0.")
  private String url;

  @Option(names = "--namespace", defaultValue = "default", description = "The workload's namespace.")
  private String namespace;

  @Option(names = "--labels", paramLabel = "k=v,...", defaultValue = "", description = "The workload's labels.")
  private String labels;

  @Option(names = "--service-account", defaultValue = "default", description = "The workload's service account.")
  private String serviceAccount;

  @Option(names = {"-H", "--header"}, paramLabel = "'name: value'", description = "A request header (repeatable).")
  private List<String> headers = new ArrayList<>();

  @Option(names = "--samples", defaultValue = "100", description = "How many decisions to draw (default 100).")
  private int samples;

  @Option(names = "--xds-address", defaultValue = "127.0.0.1:15010",
      description = "The xDS server (default: the local control plane on 127.0.0.1:15010).")
  private String xdsAddress;

  @Option(names = "--xds-protocol", defaultValue = "delta", description = "delta (default) or sotw.")
  private String xdsProtocol;

  @Option(names = "--generator", defaultValue = "sidecar", description = "sidecar (default) or grpc.")
  private String generator;

  @Option(names = "--timeout", defaultValue = "10", description = "Seconds to wait for configuration.")
  private int timeoutSeconds;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "json", description = "json (default).")
  private String output;

  @Override
  public Integer call() throws Exception {
    if (samples < 1) {
      throw new CliException("--samples must be at least 1, was " + samples);
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new CliException("URL is not valid: " + url + " (" + e.getMessage() + ")");
    }
    if (uri.getHost() == null) {
      throw new CliException("URL must name a host, e.g. http://reviews:9080/, was " + url);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    String authority = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    NodeIdentity.Builder node = NodeIdentity.builder().namespace(namespace).podName("meshctl-route")
        .workloadName("meshctl-route").serviceAccount(serviceAccount)
        .metadata(WorkloadInstances.REGISTER, "false")
        .shape("grpc".equals(generator) ? ConfigShape.GRPC : ConfigShape.SIDECAR);
    Labels.parse(labels).forEach(node::label);
    XdsClient client = XdsClient.create(XdsClientOptions.builder()
        .bootstrap(new XdsBootstrap(ControlPlaneServer.plaintext(xdsAddress), node.build(), Map.of(),
            Optional.empty(), "meshctl route"))
        .protocol("sotw".equalsIgnoreCase(xdsProtocol) ? XdsProtocol.SOTW : XdsProtocol.AUTO)
        .build());
    try (TrafficEngine engine = new TrafficEngine(MeshClock.system(), new SplittableRandom())) {
      client.addWatcher(engine);
      client.start();
      if ("grpc".equals(generator)) {
        client.watchListener(authority.contains(":") ? authority : authority + ":" + port);
      }
      MeshSnapshot snapshot;
      try {
        snapshot = client.whenComplete().get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new CliException("no complete configuration from " + xdsAddress + " within " + timeoutSeconds
            + " s; is `meshctl serve` (or istiod) running there?");
      }
      engine.onSnapshot(snapshot);
      RequestInfo request = RequestInfo.of(method.toUpperCase(Locale.ROOT), uri.getScheme() == null ? "http"
          : uri.getScheme(), authority, path, Headers.of(parseHeaders()));
      RouteDryRun.Result result = RouteDryRun.run(engine, request, port, samples);
      PrintWriter out = spec.commandLine().getOut();
      out.println(JSON.writeValueAsString(toJson(result, client.syncState())));
      out.flush();
      return Meshctl.OK;
    } finally {
      client.close();
    }
  }

  private Map<String, List<String>> parseHeaders() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new CliException("header must read 'name: value', was '" + h + "'");
      }
      out.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.substring(colon + 1).trim());
    }
    return out;
  }

  private static ObjectNode toJson(RouteDryRun.Result r, XdsSyncState sync) {
    ObjectNode json = JSON.createObjectNode();
    json.put("virtualHost", r.virtualHost().orElse(null));
    json.put("route", r.route().orElse(null));
    ObjectNode clusters = json.putObject("clusters");
    r.clusters().forEach(clusters::put);
    if (r.timeoutMs().isPresent()) {
      json.put("timeoutMs", r.timeoutMs().get());
    } else {
      json.putNull("timeoutMs");
    }
    if (r.retryPolicy().isPresent()) {
      ObjectNode retry = json.putObject("retryPolicy");
      retry.put("numRetries", r.retryPolicy().get().numRetries());
      ArrayNode on = retry.putArray("retryOn");
      r.retryPolicy().get().retryOn().forEach(on::add);
      if (r.retryPolicy().get().perTryTimeoutMs().isPresent()) {
        retry.put("perTryTimeoutMs", r.retryPolicy().get().perTryTimeoutMs().get());
      } else {
        retry.putNull("perTryTimeoutMs");
      }
    } else {
      json.putNull("retryPolicy");
    }
    json.put("fault", r.fault().orElse(null));
    ArrayNode mirrors = json.putArray("mirrors");
    r.mirrors().forEach(mirrors::add);
    json.put("redirect", r.redirect().orElse(null));
    json.put("directResponse", r.directResponse().orElse(null));
    if (r.failure().isPresent()) {
      ObjectNode failure = json.putObject("failure");
      failure.put("responseFlag", r.failure().get().flag().code());
      failure.put("reason", r.failure().get().reason());
    } else {
      json.putNull("failure");
    }
    ArrayNode nacks = json.putArray("nacks");
    sync.types().forEach(t -> t.lastNack().ifPresent(n -> nacks.add(t.kind() + ": " + n.reason())));
    return json;
  }
}
