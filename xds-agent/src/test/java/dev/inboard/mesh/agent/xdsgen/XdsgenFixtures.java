package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import dev.inboard.mesh.xds.parse.RouteConfigurationParser;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bookinfo's services and a productpage proxy, YAML loading and the client parsers' verdict, for generator tests. */
final class XdsgenFixtures {
  static final Path NETWORKING = Path.of("src/test/resources/istio/bookinfo/networking");
  static final List<String> BOOKINFO = List.of("details", "productpage", "ratings", "reviews");

  static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(List.of(HTTPFault.getDescriptor(), CorsPolicy.getDescriptor(), Cors.getDescriptor(),
          PreviousHostsPredicate.getDescriptor(), PreviousPrioritiesConfig.getDescriptor(),
          HttpConnectionManager.getDescriptor(), TcpProxy.getDescriptor(), Router.getDescriptor(),
          FilterConfig.getDescriptor(), TlsInspector.getDescriptor(), HttpInspector.getDescriptor(),
          UuidRequestIdConfig.getDescriptor(), com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor()))
      .build();

  private XdsgenFixtures() {}

  /** A Bookinfo Kubernetes Service: port 9080 named {@code http}, selector {@code app=<name>}. */
  static MeshService bookinfoService(String name) {
    return service(name, "default", List.of(), new ServicePort("http", 9080, Protocol.HTTP, 9080, ""));
  }

  static List<MeshService> bookinfoServices() {
    return BOOKINFO.stream().map(XdsgenFixtures::bookinfoService).toList();
  }

  static MeshService service(String name, String namespace, List<String> addresses, ServicePort... ports) {
    return new MeshService(name + "." + namespace + ".svc.cluster.local", namespace, addresses, List.of(ports),
        MeshService.Resolution.STATIC, false, Map.of("app", name), List.of(), Set.of("*"),
        "Service " + namespace + "/" + name);
  }

  /** The productpage-v1 pod's proxy in namespace {@code default}. */
  static ProxyView productpage() {
    return proxy("default", Map.of("app", "productpage", "version", "v1"), Map.of());
  }

  static ProxyView proxy(String namespace, Map<String, String> labels, Map<String, Object> extraMetadata) {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("NAMESPACE", namespace);
    metadata.put("LABELS", labels);
    metadata.put("INSTANCE_IPS", "10.1.2.3");
    metadata.putAll(extraMetadata);
    NodeInfo node = new NodeInfo("sidecar~10.1.2.3~client-1." + namespace + "~" + namespace + ".svc.cluster.local",
        "", metadata, NodeInfo.Locality.EMPTY, "inboard", "dev");
    return ProxyView.of(node);
  }

  static List<ConfigResource<VirtualService>> virtualServices(String... files) {
    List<Path> paths = new ArrayList<>();
    for (String file : files) {
      paths.add(NETWORKING.resolve(file));
    }
    IstioYamlLoader.LoadResult result = IstioYamlLoader.load(paths);
    assertThat(result.problems()).isEmpty();
    return result.toConfigSet().virtualServices();
  }

  static List<ConfigResource<VirtualService>> virtualServicesYaml(String yaml) {
    IstioYamlLoader.LoadResult result = IstioYamlLoader.loadString(yaml, "test.yaml");
    assertThat(result.problems()).isEmpty();
    return result.toConfigSet().virtualServices();
  }

  /** The client's verdict: the route configuration must parse as valid. */
  static RouteConfig assertAccepted(RouteConfiguration rc) {
    ParseResult<RouteConfig> result = new RouteConfigurationParser().parse(Any.pack(rc));
    assertThat(result).as("client parser verdict: %s", result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<RouteConfig>) result).resource();
  }

  static ListenerConfig assertAccepted(Listener listener) {
    ParseResult<ListenerConfig> result = new ListenerParser().parse(Any.pack(listener));
    assertThat(result).as("client parser verdict: %s", result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ListenerConfig>) result).resource();
  }

  static VirtualHost vhost(RouteConfiguration rc, String name) {
    return rc.getVirtualHostsList().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no virtual host " + name + " in " + names(rc)));
  }

  static List<String> names(RouteConfiguration rc) {
    return rc.getVirtualHostsList().stream().map(VirtualHost::getName).toList();
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(String json, Message.Builder builder) {
    try {
      JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("bad expected JSON: " + e.getMessage(), e);
    }
    return (T) builder.build();
  }

  static Route route(String json) {
    return parse(json, Route.newBuilder());
  }

  static String print(Message message) {
    try {
      return JsonFormat.printer().usingTypeRegistry(TYPES).print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
