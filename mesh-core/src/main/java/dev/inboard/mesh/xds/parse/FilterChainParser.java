package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.CidrRange;
import dev.inboard.mesh.config.FilterChainConfig;
import dev.inboard.mesh.config.NetworkFilter;
import dev.inboard.mesh.config.TlsContext;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code FilterChain} to {@link FilterChainConfig}: the match, the downstream TLS context (through
 * {@link TlsParser#downstream}) and the network filters, of which a connection manager or TCP proxy must come last.
 */
final class FilterChainParser {
  static final String TCP_PROXY_TYPE_URL = TypedConfigs.typeUrl(TcpProxy.getDescriptor());
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private FilterChainParser() {}

  static FilterChainConfig filterChain(FilterChain fc) throws XdsValidationException {
    FilterChainConfig.FilterChainMatch match = fc.hasFilterChainMatch()
        ? Validation.at("filter_chain_match", () -> match(fc.getFilterChainMatch()))
        : FilterChainConfig.FilterChainMatch.ANY;
    Optional<TlsContext.Downstream> tls = fc.hasTransportSocket()
        ? Validation.at("transport_socket", () -> TlsParser.downstream(fc.getTransportSocket()))
        : Optional.empty();
    List<NetworkFilter> filters = new ArrayList<>(fc.getFiltersCount());
    for (int i = 0; i < fc.getFiltersCount(); i++) {
      Filter f = fc.getFilters(i);
      String segment = f.getName().isEmpty()
          ? Validation.indexed("filters", i) : Validation.named("filters", f.getName());
      NetworkFilter filter = Validation.at(segment, () -> filter(f));
      boolean terminal = filter instanceof NetworkFilter.HttpConnectionManager
          || filter instanceof NetworkFilter.TcpProxy;
      if (terminal && i < fc.getFiltersCount() - 1) {
        throw new XdsValidationException(segment, "a terminal filter must be the last network filter, but '"
            + fc.getFilters(i + 1).getName() + "' follows it");
      }
      filters.add(filter);
    }
    return new FilterChainConfig(fc.getName(), match, tls, filters);
  }

  private static FilterChainConfig.FilterChainMatch match(FilterChainMatch m) throws XdsValidationException {
    Optional<Integer> destinationPort = Optional.empty();
    if (m.hasDestinationPort()) {
      int port = m.getDestinationPort().getValue();
      Validation.check(port >= 1 && port <= 65535, "destination_port",
          "must be in [1, 65535], was " + Integer.toUnsignedString(port));
      destinationPort = Optional.of(port);
    }
    List<Integer> sourcePorts = new ArrayList<>(m.getSourcePortsCount());
    for (int i = 0; i < m.getSourcePortsCount(); i++) {
      int port = m.getSourcePorts(i);
      Validation.check(port >= 1 && port <= 65535, Validation.indexed("source_ports", i),
          "must be in [1, 65535], was " + Integer.toUnsignedString(port));
      sourcePorts.add(port);
    }
    FilterChainConfig.SourceType sourceType = switch (m.getSourceType()) {
      case ANY -> FilterChainConfig.SourceType.ANY;
      case SAME_IP_OR_LOOPBACK -> FilterChainConfig.SourceType.SAME_IP_OR_LOOPBACK;
      case EXTERNAL -> FilterChainConfig.SourceType.EXTERNAL;
      case UNRECOGNIZED -> throw new XdsValidationException("source_type", "unknown value " + m.getSourceTypeValue());
    };
    Validation.check(m.getAddressSuffix().isEmpty() && !m.hasSuffixLen(), "address_suffix", "not supported");
    return new FilterChainConfig.FilterChainMatch(
        destinationPort,
        cidrs("prefix_ranges", m.getPrefixRangesList()),
        cidrs("direct_source_prefix_ranges", m.getDirectSourcePrefixRangesList()),
        sourceType,
        cidrs("source_prefix_ranges", m.getSourcePrefixRangesList()),
        sourcePorts,
        m.getServerNamesList(),
        m.getTransportProtocol(),
        m.getApplicationProtocolsList());
  }

  private static List<CidrRange> cidrs(String field, List<io.envoyproxy.envoy.config.core.v3.CidrRange> ranges)
      throws XdsValidationException {
    List<CidrRange> out = new ArrayList<>(ranges.size());
    for (int i = 0; i < ranges.size(); i++) {
      io.envoyproxy.envoy.config.core.v3.CidrRange r = ranges.get(i);
      out.add(Validation.at(Validation.indexed(field, i), () -> cidr(r)));
    }
    return out;
  }

  /** A CIDR range whose address is an IP literal and whose length fits the address family. */
  static CidrRange cidr(io.envoyproxy.envoy.config.core.v3.CidrRange r) throws XdsValidationException {
    String address = r.getAddressPrefix();
    boolean ipv6 = address.indexOf(':') >= 0;
    Validation.check(ipv6 ? isIpv6Literal(address) : IPV4.matcher(address).matches(), "address_prefix",
        "must be an IPv4 or IPv6 address, was '" + address + "'");
    long length = r.hasPrefixLen() ? Integer.toUnsignedLong(r.getPrefixLen().getValue()) : 0;
    int max = ipv6 ? 128 : 32;
    Validation.check(length <= max, "prefix_len", "must be <= " + max + " for " + address + ", was " + length);
    return new CidrRange(address, (int) length);
  }

  private static boolean isIpv6Literal(String address) {
    try {
      // A literal with ':' is parsed, never resolved.
      return InetAddress.getByName(address).getAddress().length == 16;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  private static NetworkFilter filter(Filter f) throws XdsValidationException {
    Validation.check(!f.getName().isEmpty(), "name", "must not be empty");
    return switch (f.getConfigTypeCase()) {
      case TYPED_CONFIG -> {
        Any config = f.getTypedConfig();
        if (HttpConnectionManagerParser.TYPE_URL.equals(config.getTypeUrl())) {
          yield new NetworkFilter.HttpConnectionManager(f.getName(), Validation.at("typed_config",
              () -> HttpConnectionManagerParser.hcm(TypedConfigs.unpack(config, HttpConnectionManager.class))));
        }
        if (TCP_PROXY_TYPE_URL.equals(config.getTypeUrl())) {
          yield Validation.at("typed_config", () -> tcpProxy(f.getName(), TypedConfigs.unpack(config, TcpProxy.class)));
        }
        yield new NetworkFilter.Opaque(f.getName(),
            Validation.at("typed_config", () -> TypedConfigs.effectiveTypeUrl(config)));
      }
      case CONFIG_DISCOVERY -> new NetworkFilter.Opaque(f.getName(),
          f.getConfigDiscovery().getTypeUrlsCount() == 0 ? "" : f.getConfigDiscovery().getTypeUrls(0));
      case CONFIGTYPE_NOT_SET -> new NetworkFilter.Opaque(f.getName(), "");
    };
  }

  private static NetworkFilter.TcpProxy tcpProxy(String name, TcpProxy t) throws XdsValidationException {
    Validation.check(!t.getStatPrefix().isEmpty(), "stat_prefix", "must not be empty");
    NetworkFilter.TcpProxy.Target target = switch (t.getClusterSpecifierCase()) {
      case CLUSTER -> {
        Validation.check(!t.getCluster().isEmpty(), "cluster", "must not be empty");
        yield new NetworkFilter.TcpProxy.Target.Cluster(t.getCluster());
      }
      case WEIGHTED_CLUSTERS -> {
        var clusters = t.getWeightedClusters().getClustersList();
        Validation.check(!clusters.isEmpty(), "weighted_clusters.clusters", "must not be empty");
        List<NetworkFilter.TcpProxy.WeightedCluster> out = new ArrayList<>(clusters.size());
        for (int i = 0; i < clusters.size(); i++) {
          var c = clusters.get(i);
          String path = "weighted_clusters." + Validation.indexed("clusters", i);
          Validation.check(!c.getName().isEmpty(), path + ".name", "must not be empty");
          Validation.check(c.getWeight() != 0, path + ".weight", "must be >= 1, was 0");
          out.add(new NetworkFilter.TcpProxy.WeightedCluster(c.getName(), Integer.toUnsignedLong(c.getWeight())));
        }
        yield new NetworkFilter.TcpProxy.Target.Weighted(out);
      }
      case CLUSTERSPECIFIER_NOT_SET -> throw XdsValidationException.of("one of cluster or weighted_clusters must be set");
    };
    return new NetworkFilter.TcpProxy(name, t.getStatPrefix(), target);
  }
}
