package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.inboard.mesh.config.ClusterConfig.DiscoveryType;
import dev.inboard.mesh.config.ClusterConfig.DnsLookupFamily;
import dev.inboard.mesh.config.ClusterConfig.DnsSettings;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser.AddressKind;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.extensions.clusters.aggregate.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster;
import java.time.Duration;

/**
 * Where a cluster's endpoints come from: the built-in {@code type}, or a {@code cluster_type} extension
 * ({@code envoy.clusters.aggregate}, {@code envoy.cluster.dns}). Other custom cluster types are refused.
 */
final class ClusterDiscoveryParser {
  static final String AGGREGATE = "envoy.clusters.aggregate";
  static final String DNS = "envoy.cluster.dns";
  private static final String AGGREGATE_TYPE_URL = "type.googleapis.com/" + ClusterConfig.getDescriptor().getFullName();
  private static final String DNS_TYPE_URL = "type.googleapis.com/" + DnsCluster.getDescriptor().getFullName();
  private static final Duration MIN_REFRESH_RATE = Duration.ofMillis(1);

  private ClusterDiscoveryParser() {}

  /** The discovery type of {@code c}, and a name for it in error messages. */
  record Discovery(DiscoveryType type, String description) {}

  static Discovery parse(Cluster c) throws XdsValidationException {
    if (c.getClusterDiscoveryTypeCase() == Cluster.ClusterDiscoveryTypeCase.CLUSTER_TYPE) {
      return new Discovery(custom(c, c.getClusterType()), c.getClusterType().getName());
    }
    DiscoveryType type = switch (c.getType()) {
      case STATIC -> new DiscoveryType.Static(endpoints(c, AddressKind.IP));
      case STRICT_DNS -> new DiscoveryType.StrictDns(endpoints(c, AddressKind.HOST_NAME), legacyDns(c));
      case LOGICAL_DNS -> new DiscoveryType.LogicalDns(logicalDnsEndpoints(c), legacyDns(c));
      case EDS -> eds(c);
      case ORIGINAL_DST -> {
        Validation.check(!c.hasLoadAssignment(), "load_assignment", "must not be set for ORIGINAL_DST clusters");
        yield new DiscoveryType.OriginalDst();
      }
      case UNRECOGNIZED -> throw new XdsValidationException("type", "unknown value " + c.getTypeValue());
    };
    return new Discovery(type, c.getType().name());
  }

  private static DiscoveryType eds(Cluster c) throws XdsValidationException {
    Cluster.EdsClusterConfig eds = c.getEdsClusterConfig();
    Validation.check(eds.hasEdsConfig(), "eds_cluster_config.eds_config", "must be set for EDS clusters");
    ConfigSource source = eds.getEdsConfig();
    Validation.check(source.hasAds() || source.hasSelf(), "eds_cluster_config.eds_config",
        "only ads and self config sources are supported, was "
            + FieldValues.caseName(source.getConfigSourceSpecifierCase()));
    String serviceName = eds.getServiceName().isEmpty() ? c.getName() : eds.getServiceName();
    return new DiscoveryType.Eds(serviceName);
  }

  private static EndpointsConfig endpoints(Cluster c, AddressKind addresses) throws XdsValidationException {
    if (!c.hasLoadAssignment()) {
      return EndpointsConfig.empty(c.getName());
    }
    return Validation.at("load_assignment",
        () -> ClusterLoadAssignmentParser.toEndpoints(c.getLoadAssignment(), addresses));
  }

  private static EndpointsConfig logicalDnsEndpoints(Cluster c) throws XdsValidationException {
    Validation.check(c.getLoadAssignment().getEndpointsCount() == 1
            && c.getLoadAssignment().getEndpoints(0).getLbEndpointsCount() == 1, "load_assignment",
        "LOGICAL_DNS clusters must have exactly one locality with exactly one endpoint");
    return endpoints(c, AddressKind.HOST_NAME);
  }

  /** A {@code cluster_type} extension; paths of endpoint errors stay relative to the cluster. */
  private static DiscoveryType custom(Cluster c, Cluster.CustomClusterType custom) throws XdsValidationException {
    Any config = custom.getTypedConfig();
    if (AGGREGATE.equals(custom.getName()) || AGGREGATE_TYPE_URL.equals(config.getTypeUrl())) {
      ClusterConfig aggregate = Validation.at("cluster_type", () -> unpack(config, ClusterConfig.class,
          AGGREGATE_TYPE_URL));
      Validation.check(aggregate.getClustersCount() > 0, "cluster_type.typed_config.clusters", "must not be empty");
      return new DiscoveryType.Aggregate(aggregate.getClustersList());
    }
    if (DNS.equals(custom.getName()) || DNS_TYPE_URL.equals(config.getTypeUrl())) {
      DnsCluster dns = Validation.at("cluster_type", () -> unpack(config, DnsCluster.class, DNS_TYPE_URL));
      DnsSettings settings = Validation.at("cluster_type.typed_config", () -> dnsSettings(dns));
      return dns.getAllAddressesInSingleEndpoint()
          ? new DiscoveryType.LogicalDns(logicalDnsEndpoints(c), settings)
          : new DiscoveryType.StrictDns(endpoints(c, AddressKind.HOST_NAME), settings);
    }
    throw new XdsValidationException("cluster_type", "unsupported custom cluster type '" + custom.getName() + "'"
        + (config.getTypeUrl().isEmpty() ? "" : " (" + config.getTypeUrl() + ")"));
  }

  private static DnsSettings dnsSettings(DnsCluster dns) throws XdsValidationException {
    DnsLookupFamily family = switch (dns.getDnsLookupFamily()) {
      case UNSPECIFIED, AUTO -> DnsLookupFamily.AUTO;
      case V4_ONLY -> DnsLookupFamily.V4_ONLY;
      case V6_ONLY -> DnsLookupFamily.V6_ONLY;
      case V4_PREFERRED -> DnsLookupFamily.V4_PREFERRED;
      case ALL -> DnsLookupFamily.ALL;
      case UNRECOGNIZED -> throw new XdsValidationException("dns_lookup_family",
          "unknown value " + dns.getDnsLookupFamilyValue());
    };
    return new DnsSettings(family, refreshRate(dns.hasDnsRefreshRate(), dns.getDnsRefreshRate()),
        dns.getRespectDnsTtl());
  }

  // Envoy deprecated the cluster's own DNS fields in favour of envoy.cluster.dns; istiod still sends them.
  @SuppressWarnings("deprecation")
  private static DnsSettings legacyDns(Cluster c) throws XdsValidationException {
    DnsLookupFamily family = switch (c.getDnsLookupFamily()) {
      case AUTO -> DnsLookupFamily.AUTO;
      case V4_ONLY -> DnsLookupFamily.V4_ONLY;
      case V6_ONLY -> DnsLookupFamily.V6_ONLY;
      case V4_PREFERRED -> DnsLookupFamily.V4_PREFERRED;
      case ALL -> DnsLookupFamily.ALL;
      case UNRECOGNIZED -> throw new XdsValidationException("dns_lookup_family",
          "unknown value " + c.getDnsLookupFamilyValue());
    };
    return new DnsSettings(family, refreshRate(c.hasDnsRefreshRate(), c.getDnsRefreshRate()), c.getRespectDnsTtl());
  }

  private static Duration refreshRate(boolean present, com.google.protobuf.Duration value)
      throws XdsValidationException {
    Duration rate = FieldValues.duration("dns_refresh_rate", present, value, DnsSettings.DEFAULT_REFRESH_RATE);
    Validation.check(rate.compareTo(MIN_REFRESH_RATE) > 0, "dns_refresh_rate",
        "must be > 1ms, was " + FieldValues.format(rate));
    return rate;
  }

  private static <T extends Message> T unpack(Any any, Class<T> type, String typeUrl) throws XdsValidationException {
    Validation.check(typeUrl.equals(any.getTypeUrl()), "typed_config",
        "expected " + typeUrl + ", was '" + any.getTypeUrl() + "'");
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsValidationException("typed_config", "cannot decode " + type.getSimpleName() + ": " + e.getMessage());
    }
  }
}
