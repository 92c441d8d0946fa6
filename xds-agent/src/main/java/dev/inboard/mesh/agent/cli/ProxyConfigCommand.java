package dev.inboard.mesh.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.inboard.mesh.agent.server.api.ApiJson;
import dev.inboard.mesh.agent.server.api.Labels;
import dev.inboard.mesh.agent.server.api.XdsJson;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl proxy-config TYPE WORKLOAD}: the xDS a workload is served, or would be. */
@Command(name = "proxy-config", mixinStandardHelpOptions = true,
    description = {
        "Show the xDS a connected workload is served (WORKLOAD is name.namespace, as proxy-status lists it), or "
            + "what a workload described with --namespace and --labels would be served without connecting.",
        "TYPE is listeners, routes, clusters, endpoints or all."})
final class ProxyConfigCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TYPE", description = "listeners, routes, clusters, endpoints or all.")
  private String type;

  @Parameters(index = "1", arity = "0..1", paramLabel = "WORKLOAD",
      description = "A connected workload: name.namespace.")
  private @Nullable String workload;

  @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of a described workload.")
  private @Nullable String namespace;

  @Option(names = "--labels", paramLabel = "k=v,...", description = "Labels of a described workload.")
  private @Nullable String labels;

  @Option(names = "--service-account", paramLabel = "SA",
      description = "Service account of a described workload (default: default).")
  private @Nullable String serviceAccount;

  @Option(names = "--generator", paramLabel = "sidecar|grpc", defaultValue = "sidecar",
      description = "Shape of a described workload's xDS: sidecar (default) or grpc (proxyless gRPC).")
  private String generator;

  @Mixin
  private ServerOptions server;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (default) or json (the xDS as protojson).")
  private OutputFormat output;

  @Override
  public Integer call() {
    List<ApiJson.XdsType> types;
    try {
      types = ApiJson.XdsType.parse(type);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "TYPE " + e.getMessage());
    }
    ApiClient.Reply reply = server.client().get("/v1/proxy-config?type=" + encode(type) + "&" + who());
    if (!reply.ok()) {
      throw new CliException(reply.error());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.JSON) {
      out.println(reply.body().toPrettyString());
      out.flush();
      return Meshctl.OK;
    }
    JsonNode body = reply.body();
    boolean first = true;
    for (ApiJson.XdsType t : types) {
      if (!first) {
        out.println();
      }
      first = false;
      JsonNode list = body.path(t.key());
      TableWriter table = switch (t) {
        case LISTENERS -> ProxyConfigTables.listeners(parse(list, Listener::newBuilder));
        case ROUTES -> ProxyConfigTables.routes(parse(list, RouteConfiguration::newBuilder));
        case CLUSTERS -> ProxyConfigTables.clusters(parse(list, Cluster::newBuilder));
        case ENDPOINTS -> ProxyConfigTables.endpoints(parse(list, ClusterLoadAssignment::newBuilder));
      };
      table.print(out);
    }
    out.flush();
    return Meshctl.OK;
  }

  /** The query naming the workload: connected by name, or described. */
  private String who() {
    boolean described = namespace != null || labels != null || serviceAccount != null;
    if (workload != null && described) {
      throw new ParameterException(spec.commandLine(),
          "give WORKLOAD (name.namespace) or describe one with --namespace and --labels, not both");
    }
    if (workload != null) {
      if (workload.indexOf('.') <= 0 || workload.endsWith(".")) {
        throw new ParameterException(spec.commandLine(), "WORKLOAD must be name.namespace, was '" + workload + "'");
      }
      return "proxy=" + encode(workload);
    }
    if (namespace == null || labels == null) {
      throw new ParameterException(spec.commandLine(), "give a connected WORKLOAD (name.namespace), or describe "
          + "one with --namespace NS --labels k=v,... [--service-account SA]");
    }
    try {
      Labels.parse(labels);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--labels: " + e.getMessage());
    }
    if (!generator.equals("sidecar") && !generator.equals("grpc")) {
      throw new ParameterException(spec.commandLine(), "--generator must be sidecar or grpc, was '" + generator
          + "'");
    }
    return "namespace=" + encode(namespace) + "&labels=" + encode(labels)
        + "&serviceAccount=" + encode(serviceAccount == null ? "default" : serviceAccount)
        + "&generator=" + encode(generator);
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> List<M> parse(JsonNode list, Supplier<? extends Message.Builder> builder) {
    List<M> out = new ArrayList<>();
    for (JsonNode resource : list) {
      try {
        out.add((M) XdsJson.parse(resource.toString(), builder.get()).build());
      } catch (InvalidProtocolBufferException e) {
        throw new CliException("the server sent xDS this meshctl cannot read: " + e.getMessage());
      }
    }
    return out;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
