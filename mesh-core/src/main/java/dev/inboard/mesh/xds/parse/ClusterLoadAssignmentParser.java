package dev.inboard.mesh.xds.parse;

import com.google.common.net.InetAddresses;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.EndpointsConfig.DropOverload;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.EndpointsConfig.LocalityEndpoints;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EDS: a {@code ClusterLoadAssignment} becomes {@link EndpointsConfig}. Validation follows Envoy and gRPC:
 * priorities run from 0 without gaps, a locality appears once per priority, weights are at least 1, EDS and STATIC
 * addresses are IP literals. Named endpoints and LEDS are not supported.
 */
public final class ClusterLoadAssignmentParser extends ResourceParser<ClusterLoadAssignment, EndpointsConfig> {
  public static final String TYPE_URL =
      "type.googleapis.com/" + ClusterLoadAssignment.getDescriptor().getFullName();

  /** What an endpoint address may be. */
  public enum AddressKind {
    /** EDS and STATIC clusters: an IPv4 or IPv6 literal. */
    IP,
    /** STRICT_DNS and LOGICAL_DNS clusters: a host name to resolve, or an IP literal. */
    HOST_NAME
  }

  public ClusterLoadAssignmentParser() {
    super("ClusterLoadAssignment", ClusterLoadAssignment.class, TYPE_URL);
  }

  @Override
  protected String nameOf(ClusterLoadAssignment message) {
    return message.getClusterName();
  }

  @Override
  protected EndpointsConfig validate(ClusterLoadAssignment message) throws XdsValidationException {
    return toEndpoints(message, AddressKind.IP);
  }

  /**
   * Converts an assignment, from EDS or inline in a cluster's {@code load_assignment}; error paths are relative to
   * the assignment.
   */
  public static EndpointsConfig toEndpoints(ClusterLoadAssignment cla, AddressKind addresses)
      throws XdsValidationException {
    Validation.check(!cla.getClusterName().isEmpty(), "cluster_name", "must not be empty");
    Validation.check(cla.getNamedEndpointsCount() == 0, "named_endpoints",
        "named endpoints are not supported, was " + cla.getNamedEndpointsMap().keySet());
    EndpointInterner interner = new EndpointInterner();
    List<LocalityEndpoints> localities = new ArrayList<>(cla.getEndpointsCount());
    Map<Integer, Set<Locality>> localitiesByPriority = new HashMap<>();
    Map<Integer, Long> weightByPriority = new HashMap<>();
    for (int i = 0; i < cla.getEndpointsCount(); i++) {
      LocalityLbEndpoints proto = cla.getEndpoints(i);
      String path = Validation.indexed("endpoints", i);
      LocalityEndpoints locality = Validation.at(path, () -> locality(proto, addresses, interner));
      Validation.check(
          localitiesByPriority.computeIfAbsent(locality.priority(), p -> new HashSet<>()).add(locality.locality()),
          path + ".locality", "duplicate locality " + describe(locality.locality()) + " at priority "
              + locality.priority());
      long weightSum = weightByPriority.merge(locality.priority(), (long) locality.loadBalancingWeight(), Long::sum);
      Validation.check(weightSum <= FieldValues.UINT32_MAX, path + ".load_balancing_weight",
          "sum of locality weights at priority " + locality.priority() + " must be <= 4294967295, was " + weightSum);
      localities.add(locality);
    }
    checkContiguous(localitiesByPriority.keySet());

    ClusterLoadAssignment.Policy policy = cla.getPolicy();
    int overprovisioning = EndpointsConfig.DEFAULT_OVERPROVISIONING_FACTOR;
    if (policy.hasOverprovisioningFactor()) {
      long factor = Integer.toUnsignedLong(policy.getOverprovisioningFactor().getValue());
      Validation.check(factor > 0 && factor <= Integer.MAX_VALUE, "policy.overprovisioning_factor",
          "must be in [1, 2147483647], was " + factor);
      overprovisioning = (int) factor;
    }
    List<DropOverload> drops = new ArrayList<>(policy.getDropOverloadsCount());
    for (int i = 0; i < policy.getDropOverloadsCount(); i++) {
      ClusterLoadAssignment.Policy.DropOverload drop = policy.getDropOverloads(i);
      String path = "policy." + Validation.indexed("drop_overloads", i);
      Validation.check(!drop.getCategory().isEmpty(), path + ".category", "must not be empty");
      drops.add(new DropOverload(drop.getCategory(),
          Validation.at(path + ".drop_percentage", () -> CommonProtos.fraction(drop.getDropPercentage()))));
    }
    return new EndpointsConfig(cla.getClusterName(), localities, overprovisioning, drops);
  }

  private static void checkContiguous(Set<Integer> priorities) throws XdsValidationException {
    BitSet present = new BitSet();
    priorities.forEach(present::set);
    int missing = present.nextClearBit(0);
    Validation.check(missing == present.length(), "endpoints",
        "priorities must be contiguous from 0, missing " + missing + " (present: " + present.stream().boxed().toList()
            + ")");
  }

  private static LocalityEndpoints locality(LocalityLbEndpoints proto, AddressKind addresses,
      EndpointInterner interner) throws XdsValidationException {
    switch (proto.getLbConfigCase()) {
      case LEDS_CLUSTER_LOCALITY_CONFIG -> throw new XdsValidationException("leds_cluster_locality_config",
          "LEDS is not supported");
      case LOAD_BALANCER_ENDPOINTS -> throw new XdsValidationException("load_balancer_endpoints",
          "not supported; use lb_endpoints");
      case LBCONFIG_NOT_SET -> { }
    }
    long priority = Integer.toUnsignedLong(proto.getPriority());
    Validation.check(priority <= LocalityEndpoints.MAX_PRIORITY, "priority",
        "must be <= " + LocalityEndpoints.MAX_PRIORITY + ", was " + priority);
    int localityWeight = 0;
    if (proto.hasLoadBalancingWeight()) {
      localityWeight = weight("load_balancing_weight", proto.getLoadBalancingWeight().getValue());
    }
    List<LbEndpoint> endpoints = new ArrayList<>(proto.getLbEndpointsCount());
    long weightSum = 0;
    for (int i = 0; i < proto.getLbEndpointsCount(); i++) {
      io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint endpoint = proto.getLbEndpoints(i);
      LbEndpoint converted = Validation.at(Validation.indexed("lb_endpoints", i),
          () -> endpoint(endpoint, addresses, interner));
      weightSum += converted.weight();
      endpoints.add(converted);
    }
    Validation.check(weightSum <= FieldValues.UINT32_MAX, "lb_endpoints",
        "sum of endpoint weights must be <= 4294967295, was " + weightSum);
    return new LocalityEndpoints(interner.locality(proto.getLocality()), (int) priority, localityWeight,
        endpoints);
  }

  private static LbEndpoint endpoint(io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint proto, AddressKind addresses,
      EndpointInterner interner) throws XdsValidationException {
    switch (proto.getHostIdentifierCase()) {
      case ENDPOINT -> { }
      case ENDPOINT_NAME -> throw new XdsValidationException("endpoint_name",
          "named endpoints are not supported, was '" + proto.getEndpointName() + "'");
      case HOSTIDENTIFIER_NOT_SET -> throw new XdsValidationException("endpoint", "must be set");
    }
    Endpoint endpoint = proto.getEndpoint();
    Validation.check(endpoint.hasAddress(), "endpoint.address", "must be set");
    SocketAddress address = Validation.at("endpoint.address", () -> CommonProtos.socketAddress(endpoint.getAddress()));
    Validation.check(address.port() > 0, "endpoint.address.socket_address.port_value",
        "must be in [1, 65535], was 0");
    if (addresses == AddressKind.IP) {
      Validation.check(InetAddresses.isInetAddress(address.host()), "endpoint.address.socket_address.address",
          "must be an IP address, was '" + address.host() + "'");
    }
    String host = interner.string(address.host());
    if (host != address.host()) {
      address = new SocketAddress(host, address.port());
    }
    int weight = 1;
    if (proto.hasLoadBalancingWeight()) {
      weight = weight("load_balancing_weight", proto.getLoadBalancingWeight().getValue());
    }
    return new LbEndpoint(address, health(proto.getHealthStatus()), weight, interner.metadata(proto.getMetadata()),
        interner.string(endpoint.getHostname()));
  }

  private static int weight(String field, int unsigned) throws XdsValidationException {
    long value = Integer.toUnsignedLong(unsigned);
    Validation.check(value >= 1, field, "must be >= 1, was " + value);
    Validation.check(value <= Integer.MAX_VALUE, field, "must be <= 2147483647, was " + value);
    return (int) value;
  }

  private static HealthStatus health(io.envoyproxy.envoy.config.core.v3.HealthStatus proto) {
    return switch (proto) {
      case HEALTHY -> HealthStatus.HEALTHY;
      case UNHEALTHY -> HealthStatus.UNHEALTHY;
      case DRAINING -> HealthStatus.DRAINING;
      case TIMEOUT -> HealthStatus.TIMEOUT;
      case DEGRADED -> HealthStatus.DEGRADED;
      // Envoy treats a status it does not know like an absent one.
      case UNKNOWN, UNRECOGNIZED -> HealthStatus.UNKNOWN;
    };
  }

  private static String describe(Locality l) {
    return "{region=" + l.region() + ", zone=" + l.zone() + ", sub_zone=" + l.subZone() + "}";
  }
}
