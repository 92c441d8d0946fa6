package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.ClusterConfig.DiscoveryType;
import dev.inboard.mesh.config.ClusterConfig.TransportSocketMatch;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.config.TlsContext;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CDS: a {@code Cluster} becomes {@link ClusterConfig}, with Envoy's defaults for every absent field and Envoy's
 * validation rules. Endpoint discovery, load balancing, circuit breakers, outlier detection and HTTP options each
 * have their own parser beside this one.
 */
public final class ClusterParser extends ResourceParser<Cluster, ClusterConfig> {
  public static final String TYPE_URL = "type.googleapis.com/" + Cluster.getDescriptor().getFullName();

  public ClusterParser() {
    super("Cluster", Cluster.class, TYPE_URL);
  }

  @Override
  protected String nameOf(Cluster message) {
    return message.getName();
  }

  @Override
  protected ClusterConfig validate(Cluster c) throws XdsValidationException {
    Validation.check(!c.getName().isEmpty(), "name", "must not be empty");
    ClusterDiscoveryParser.Discovery discovery = ClusterDiscoveryParser.parse(c);
    Duration connectTimeout = FieldValues.positiveDuration("connect_timeout", c.hasConnectTimeout(),
        c.getConnectTimeout(), ClusterConfig.DEFAULT_CONNECT_TIMEOUT);
    LbPolicyParser.Choice lb = LbPolicyParser.parse(c);
    checkLbFitsDiscovery(c, lb.policy(), discovery);
    CommonLbConfig commonLb = commonLbConfig(c, lb.localityWeighted());
    CircuitBreakers circuitBreakers = c.hasCircuitBreakers()
        ? Validation.at("circuit_breakers", () -> CircuitBreakersParser.parse(c.getCircuitBreakers()))
        : CircuitBreakers.DEFAULT;
    Optional<OutlierDetection> outlierDetection = c.hasOutlierDetection()
        ? Optional.of(Validation.at("outlier_detection", () -> OutlierDetectionParser.parse(c.getOutlierDetection())))
        : Optional.empty();
    Optional<TlsContext.Upstream> tls = c.hasTransportSocket()
        ? Validation.at("transport_socket", () -> TlsParser.upstream(c.getTransportSocket()))
        : Optional.empty();
    return new ClusterConfig(
        c.getName(),
        c.getAltStatName(),
        discovery.type(),
        connectTimeout,
        lb.policy(),
        commonLb,
        circuitBreakers,
        outlierDetection,
        tls,
        transportSocketMatches(c),
        UpstreamHttpOptionsParser.parse(c),
        CommonProtos.metadata(c.getMetadata()));
  }

  /**
   * Envoy's pairing rule: ORIGINAL_DST and aggregate clusters bring their own load balancer, so ORIGINAL_DST
   * needs CLUSTER_PROVIDED, and CLUSTER_PROVIDED needs such a cluster. Aggregate clusters accept any policy, as
   * gRPC does (it ignores theirs).
   */
  private static void checkLbFitsDiscovery(Cluster c, LbPolicy policy, ClusterDiscoveryParser.Discovery discovery)
      throws XdsValidationException {
    String field = c.hasLoadBalancingPolicy() ? "load_balancing_policy" : "lb_policy";
    DiscoveryType type = discovery.type();
    if (type instanceof DiscoveryType.OriginalDst) {
      Validation.check(policy instanceof LbPolicy.ClusterProvided, field,
          "ORIGINAL_DST clusters need CLUSTER_PROVIDED, was " + envoyName(policy));
    } else if (!(type instanceof DiscoveryType.Aggregate)) {
      Validation.check(!(policy instanceof LbPolicy.ClusterProvided), field,
          "CLUSTER_PROVIDED needs a cluster type that brings its own load balancer (ORIGINAL_DST or "
              + ClusterDiscoveryParser.AGGREGATE + "), was " + discovery.description());
    }
  }

  private static String envoyName(LbPolicy policy) {
    if (policy instanceof LbPolicy.RoundRobin) {
      return "ROUND_ROBIN";
    } else if (policy instanceof LbPolicy.LeastRequest) {
      return "LEAST_REQUEST";
    } else if (policy instanceof LbPolicy.RingHash) {
      return "RING_HASH";
    } else if (policy instanceof LbPolicy.Maglev) {
      return "MAGLEV";
    } else if (policy instanceof LbPolicy.Random) {
      return "RANDOM";
    }
    return "CLUSTER_PROVIDED";
  }

  private static CommonLbConfig commonLbConfig(Cluster c, boolean policyWantsLocalityWeights)
      throws XdsValidationException {
    Cluster.CommonLbConfig common = c.getCommonLbConfig();
    Fraction panic = common.hasHealthyPanicThreshold()
        ? Validation.at("common_lb_config.healthy_panic_threshold",
            () -> CommonProtos.percent(common.getHealthyPanicThreshold()))
        : CommonLbConfig.DEFAULT_HEALTHY_PANIC_THRESHOLD;
    return new CommonLbConfig(panic, common.hasLocalityWeightedLbConfig() || policyWantsLocalityWeights);
  }

  private static List<TransportSocketMatch> transportSocketMatches(Cluster c) throws XdsValidationException {
    List<TransportSocketMatch> matches = new ArrayList<>(c.getTransportSocketMatchesCount());
    for (int i = 0; i < c.getTransportSocketMatchesCount(); i++) {
      Cluster.TransportSocketMatch m = c.getTransportSocketMatches(i);
      if (m.getName().isEmpty()) {
        throw new XdsValidationException(Validation.indexed("transport_socket_matches", i) + ".name",
            "must not be empty");
      }
      String path = Validation.named("transport_socket_matches", m.getName());
      Optional<TlsContext.Upstream> tls = m.hasTransportSocket()
          ? Validation.at(path + ".transport_socket", () -> TlsParser.upstream(m.getTransportSocket()))
          : Optional.empty();
      matches.add(new TransportSocketMatch(m.getName(), CommonProtos.struct(m.getMatch()), tls));
    }
    return matches;
  }
}
