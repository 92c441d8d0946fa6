package dev.inboard.mesh.agent.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.List;

/** {@code proxy-config} tables in istioctl's layout, one row per cluster, filter chain, route or endpoint. */
final class ProxyConfigTables {
  private ProxyConfigTables() {}

  static TableWriter clusters(List<Cluster> clusters) {
    TableWriter table = new TableWriter("SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE");
    for (Cluster c : clusters) {
      String[] parts = c.getName().split("\\|", -1);
      String type = c.hasClusterType() ? c.getClusterType().getName() : c.getType().name();
      String rule = istioConfig(c.getMetadata(), "destination-rule");
      if (parts.length == 4) {
        table.row(parts[3], parts[1], dash(parts[2]), parts[0], type, rule);
      } else {
        table.row(c.getName(), "-", "-", "-", type, rule);
      }
    }
    return table;
  }

  static TableWriter listeners(List<Listener> listeners) {
    TableWriter table = new TableWriter("NAME", "ADDRESS", "PORT", "MATCH", "DESTINATION");
    for (Listener l : listeners) {
      String address = l.hasAddress() ? l.getAddress().getSocketAddress().getAddress() : "-";
      String port = l.hasAddress() ? String.valueOf(l.getAddress().getSocketAddress().getPortValue()) : "-";
      if (l.hasApiListener()) {
        table.row(l.getName(), address, port, "ALL", networkDestination(l.getApiListener().getApiListener()));
        continue;
      }
      if (l.getFilterChainsCount() == 0 && !l.hasDefaultFilterChain()) {
        table.row(l.getName(), address, port, "-", "-");
      }
      List<FilterChain> chains = new ArrayList<>(l.getFilterChainsList());
      if (l.hasDefaultFilterChain()) {
        chains.add(l.getDefaultFilterChain());
      }
      for (FilterChain chain : chains) {
        table.row(l.getName(), address, port, match(chain.getFilterChainMatch()), destination(chain));
      }
    }
    return table;
  }

  static TableWriter routes(List<RouteConfiguration> routes) {
    TableWriter table = new TableWriter("NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
    for (RouteConfiguration rc : routes) {
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        String domains = vh.getDomainsCount() == 0 ? "-" : vh.getDomains(0)
            + (vh.getDomainsCount() > 1 ? " +" + (vh.getDomainsCount() - 1) + " more" : "");
        if (vh.getRoutesCount() == 0) {
          table.row(rc.getName(), vh.getName(), domains, "-", "-");
        }
        for (Route r : vh.getRoutesList()) {
          table.row(rc.getName(), vh.getName(), domains, match(r.getMatch()),
              istioConfig(r.getMetadata(), "virtual-service"));
        }
      }
    }
    return table;
  }

  static TableWriter endpoints(List<ClusterLoadAssignment> assignments) {
    TableWriter table = new TableWriter("ENDPOINT", "STATUS", "LOCALITY", "CLUSTER");
    for (ClusterLoadAssignment cla : assignments) {
      for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
        String where = String.join("/", locality.getLocality().getRegion(), locality.getLocality().getZone(),
            locality.getLocality().getSubZone()).replaceAll("/+$", "");
        for (LbEndpoint e : locality.getLbEndpointsList()) {
          var sa = e.getEndpoint().getAddress().getSocketAddress();
          HealthStatus health = e.getHealthStatus();
          String status = health == HealthStatus.UNKNOWN ? "HEALTHY" : health.name();
          table.row(sa.getAddress() + ":" + sa.getPortValue(), status, dash(where), cla.getClusterName());
        }
      }
    }
    return table;
  }

  private static String match(FilterChainMatch m) {
    List<String> parts = new ArrayList<>();
    if (m.hasDestinationPort()) {
      parts.add("port " + m.getDestinationPort().getValue());
    }
    if (m.getServerNamesCount() > 0) {
      parts.add("SNI: " + String.join(",", m.getServerNamesList()));
    }
    if (!m.getTransportProtocol().isEmpty()) {
      parts.add("Trans: " + m.getTransportProtocol());
    }
    if (m.getApplicationProtocolsCount() > 0) {
      parts.add("App: " + String.join(",", m.getApplicationProtocolsList()));
    }
    return parts.isEmpty() ? "ALL" : String.join("; ", parts);
  }

  private static String match(RouteMatch m) {
    String path = switch (m.getPathSpecifierCase()) {
      case PREFIX -> m.getPrefix() + "*";
      case PATH -> m.getPath();
      case SAFE_REGEX -> "regex " + m.getSafeRegex().getRegex();
      case PATH_SEPARATED_PREFIX -> m.getPathSeparatedPrefix() + "/*";
      case CONNECT_MATCHER -> "CONNECT";
      case PATH_MATCH_POLICY -> "path policy";
      case PATHSPECIFIER_NOT_SET -> "-";
    };
    return m.getHeadersCount() > 0 ? path + " (+headers)" : path;
  }

  private static String destination(FilterChain chain) {
    List<String> out = new ArrayList<>();
    for (Filter f : chain.getFiltersList()) {
      out.add(f.hasTypedConfig() ? networkDestination(f.getTypedConfig()) : f.getName());
    }
    return out.isEmpty() ? "-" : String.join("; ", out);
  }

  private static String networkDestination(Any config) {
    try {
      if (config.is(HttpConnectionManager.class)) {
        HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
        return hcm.hasRds() ? "Route: " + hcm.getRds().getRouteConfigName()
            : "Inline Route: " + hcm.getRouteConfig().getName();
      }
      if (config.is(TcpProxy.class)) {
        TcpProxy tcp = config.unpack(TcpProxy.class);
        return tcp.hasWeightedClusters() ? "Weighted clusters" : "Cluster: " + tcp.getCluster();
      }
    } catch (InvalidProtocolBufferException e) {
      return "unreadable " + config.getTypeUrl();
    }
    return config.getTypeUrl().substring(config.getTypeUrl().lastIndexOf('/') + 1);
  }

  /**
   * {@code name.namespace} of the Istio resource istiod records in {@code metadata.filter_metadata.istio.config},
   * e.g. {@code /apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews}.
   */
  private static String istioConfig(Metadata metadata, String kind) {
    Value config = metadata.getFilterMetadataOrDefault("istio", com.google.protobuf.Struct.getDefaultInstance())
        .getFieldsOrDefault("config", Value.getDefaultInstance());
    String[] parts = config.getStringValue().split("/");
    for (int i = 0; i + 3 < parts.length; i++) {
      if (parts[i].equals("namespaces") && parts[i + 2].equals(kind)) {
        return parts[i + 3] + "." + parts[i + 1];
      }
    }
    return "";
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
