package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Listeners of istiod's {@code grpc} generator. Clients watch {@code host:port} and get an API listener whose
 * routes come over RDS as {@code outbound|PORT||FQDN}; servers watch {@code xds.istio.io/grpc/lds/inbound/IP:PORT}
 * and get one filter chain with an inline non-forwarding route and the RBAC filters that apply.
 */
public final class GrpcListeners {
  /** The inbound listener name prefix gRPC servers fill in with their listening address. */
  public static final String INBOUND_PREFIX = "xds.istio.io/grpc/lds/inbound/";

  private GrpcListeners() {}

  /**
   * Client listeners for every port of {@code service}, once per spelling a client may use: the FQDN and, for a
   * client in the service's own namespace, {@code name}, {@code name.ns} and {@code name.ns.svc}.
   */
  public static List<Listener> client(MeshService service, String proxyNamespace) {
    List<Listener> out = new ArrayList<>();
    for (ServicePort port : service.ports()) {
      String rds = "outbound|" + port.port() + "||" + service.hostname();
      for (String host : spellings(service, proxyNamespace)) {
        out.add(clientListener(host + ":" + port.port(), service, port.port(), rds));
      }
    }
    return out;
  }

  /** The names a client may watch for {@code service}, most specific first. */
  static Set<String> spellings(MeshService service, String proxyNamespace) {
    Set<String> names = new LinkedHashSet<>();
    names.add(service.hostname());
    // istiod expands short names against the client's own DNS domain only (<ns>.svc.<suffix>), so a service in
    // another namespace is reachable by its FQDN alone.
    String kubeSuffix = "." + service.namespace() + ".svc.";
    int at = service.hostname().indexOf(kubeSuffix);
    if (at > 0 && service.namespace().equals(proxyNamespace)) {
      String shortName = service.hostname().substring(0, at);
      names.add(shortName + "." + service.namespace() + ".svc");
      names.add(shortName + "." + service.namespace());
      names.add(shortName);
    }
    return names;
  }

  private static Listener clientListener(String name, MeshService service, int port, String rds) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.fault")
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
        .addHttpFilters(router())
        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(rds))
        .build();
    String address = service.addresses().isEmpty() ? "0.0.0.0" : service.addresses().get(0);
    return Listener.newBuilder()
        .setName(name)
        .setAddress(address(address, port))
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  /**
   * A server listener for {@code port}, named with {@code listenAddress} as gRPC fills in the template
   * ({@code 0.0.0.0} or {@code [::]}). {@code tls} is the mTLS transport socket when the port requires it;
   * {@code rbacFilters} are the authorization filters, in order, before the router.
   */
  public static Listener server(String listenAddress, int port, Optional<TransportSocket> tls,
      List<HttpFilter> rbacFilters) {
    String suffix = tls.isPresent() ? "mtls" : "plaintext";
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
        .setRouteConfig(RouteConfiguration.newBuilder().setName("inbound")
            .addVirtualHosts(VirtualHost.newBuilder().addDomains("*")
                .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                    .setNonForwardingAction(NonForwardingAction.getDefaultInstance()))));
    rbacFilters.forEach(hcm::addHttpFilters);
    hcm.addHttpFilters(router());
    FilterChain.Builder chain = FilterChain.newBuilder()
        .setName("inbound-" + suffix)
        .addFilters(Filter.newBuilder().setName("inbound-hcm" + suffix).setTypedConfig(Any.pack(hcm.build())));
    tls.ifPresent(chain::setTransportSocket);
    String host = listenAddress.startsWith("[") ? listenAddress.substring(1, listenAddress.length() - 1)
        : listenAddress;
    return Listener.newBuilder()
        .setName(INBOUND_PREFIX + listenAddress + ":" + port)
        .setAddress(address(host, port))
        .addFilterChains(chain)
        .build();
  }

  private static HttpFilter router() {
    return HttpFilter.newBuilder().setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance())).build();
  }

  private static Address address(String host, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3).build();
  }
}
