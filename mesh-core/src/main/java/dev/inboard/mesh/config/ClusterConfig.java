package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An upstream cluster (Envoy's CDS {@code Cluster}) with Envoy's defaults applied: where its endpoints come from,
 * how one is picked, the limits that protect it, and how to talk to it.
 *
 * @param altStatName the name used in stats when set (istiod sends {@code name + ";"}), else empty
 * @param tls the cluster's {@code transport_socket} when it is TLS; empty for plaintext
 * @param transportSocketMatches tried in order against an endpoint's {@code envoy.transport_socket_match} metadata
 *     before falling back to {@code tls}
 */
public record ClusterConfig(
    String name,
    String altStatName,
    DiscoveryType discovery,
    Duration connectTimeout,
    LbPolicy lbPolicy,
    CommonLbConfig commonLbConfig,
    CircuitBreakers circuitBreakers,
    Optional<OutlierDetection> outlierDetection,
    Optional<TlsContext.Upstream> tls,
    List<TransportSocketMatch> transportSocketMatches,
    UpstreamHttpOptions http,
    Metadata metadata) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(altStatName, "altStatName");
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(lbPolicy, "lbPolicy");
    Objects.requireNonNull(commonLbConfig, "commonLbConfig");
    Objects.requireNonNull(circuitBreakers, "circuitBreakers");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    Objects.requireNonNull(tls, "tls");
    transportSocketMatches = List.copyOf(transportSocketMatches);
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(metadata, "metadata");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be > 0, was " + connectTimeout);
    }
    boolean providesLb = discovery instanceof DiscoveryType.OriginalDst || discovery instanceof DiscoveryType.Aggregate;
    if (lbPolicy instanceof LbPolicy.ClusterProvided && !providesLb) {
      throw new IllegalArgumentException("ClusterProvided load balancing needs an ORIGINAL_DST or aggregate cluster, "
          + "was " + discovery.getClass().getSimpleName());
    }
    if (discovery instanceof DiscoveryType.OriginalDst && !(lbPolicy instanceof LbPolicy.ClusterProvided)) {
      throw new IllegalArgumentException("ORIGINAL_DST clusters need ClusterProvided load balancing, was " + lbPolicy);
    }
  }

  /** The EDS resource to subscribe to, when endpoints come from EDS. */
  public Optional<String> edsServiceName() {
    return discovery instanceof DiscoveryType.Eds eds ? Optional.of(eds.serviceName()) : Optional.empty();
  }

  /**
   * The TLS a connection to an endpoint with {@code endpointMetadata} uses, as Envoy picks its transport socket: the
   * first of {@code transport_socket_matches} whose labels the endpoint's {@code envoy.transport_socket_match}
   * metadata holds (a match without TLS means plaintext), else the cluster's own transport socket.
   */
  public Optional<TlsContext.Upstream> tlsFor(Metadata endpointMetadata) {
    Map<String, Object> labels = endpointMetadata.filterMetadata()
        .getOrDefault("envoy.transport_socket_match", Map.of());
    for (TransportSocketMatch match : transportSocketMatches) {
      if (labels.entrySet().containsAll(match.match().entrySet())) {
        return match.tls();
      }
    }
    return tls;
  }

  /** Every SDS secret the cluster's TLS settings refer to, in the order they appear. */
  public Set<SecretRef> secretRefs() {
    Set<SecretRef> refs = new LinkedHashSet<>();
    tls.ifPresent(t -> addRefs(refs, t));
    for (TransportSocketMatch match : transportSocketMatches) {
      match.tls().ifPresent(t -> addRefs(refs, t));
    }
    return Collections.unmodifiableSet(refs);
  }

  private static void addRefs(Set<SecretRef> refs, TlsContext.Upstream tls) {
    tls.common().certificate().ifPresent(refs::add);
    tls.common().validationRoot().ifPresent(refs::add);
  }

  /** Where a cluster's endpoints come from (Envoy's {@code type} or {@code cluster_type}). */
  public sealed interface DiscoveryType {

    /** Endpoints from EDS, resource {@code serviceName} (the cluster's name when the cluster leaves it empty). */
    record Eds(String serviceName) implements DiscoveryType {
      public Eds {
        Objects.requireNonNull(serviceName, "serviceName");
        if (serviceName.isEmpty()) {
          throw new IllegalArgumentException("serviceName must not be empty");
        }
      }
    }

    /** Fixed IP endpoints given in the cluster. */
    record Static(EndpointsConfig endpoints) implements DiscoveryType {
      public Static {
        Objects.requireNonNull(endpoints, "endpoints");
      }
    }

    /** Host names resolved continuously; every resolved address is an endpoint. */
    record StrictDns(EndpointsConfig endpoints, DnsSettings dns) implements DiscoveryType {
      public StrictDns {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(dns, "dns");
      }
    }

    /** One host name; new connections go to the first address of the latest resolution. */
    record LogicalDns(EndpointsConfig endpoints, DnsSettings dns) implements DiscoveryType {
      public LogicalDns {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(dns, "dns");
      }
    }

    /** Connections go to the original destination of the downstream connection. */
    record OriginalDst() implements DiscoveryType {}

    /** Envoy's aggregate cluster: the named clusters, tried in priority order. */
    record Aggregate(List<String> clusters) implements DiscoveryType {
      public Aggregate {
        clusters = List.copyOf(clusters);
        if (clusters.isEmpty()) {
          throw new IllegalArgumentException("clusters must not be empty");
        }
      }
    }
  }

  /** DNS resolution of STRICT_DNS and LOGICAL_DNS clusters; Envoy re-resolves every 5 s by default. */
  public record DnsSettings(DnsLookupFamily lookupFamily, Duration refreshRate, boolean respectDnsTtl) {
    public static final Duration DEFAULT_REFRESH_RATE = Duration.ofSeconds(5);
    public static final DnsSettings DEFAULT = new DnsSettings(DnsLookupFamily.AUTO, DEFAULT_REFRESH_RATE, false);

    public DnsSettings {
      Objects.requireNonNull(lookupFamily, "lookupFamily");
      Objects.requireNonNull(refreshRate, "refreshRate");
      if (refreshRate.compareTo(Duration.ofMillis(1)) <= 0) {
        throw new IllegalArgumentException("refreshRate must be > 1ms, was " + refreshRate);
      }
    }
  }

  /** Which address families a DNS lookup returns (Envoy's {@code DnsLookupFamily}). */
  public enum DnsLookupFamily { AUTO, V4_ONLY, V6_ONLY, V4_PREFERRED, ALL }

  /**
   * Load-balancing settings shared by all policies.
   *
   * @param healthyPanicThreshold below this share of healthy endpoints, balance over all endpoints (Envoy: 50%;
   *     zero disables panic mode)
   * @param localityWeighted whether locality weights from EDS split traffic between localities
   */
  public record CommonLbConfig(Fraction healthyPanicThreshold, boolean localityWeighted) {
    public static final Fraction DEFAULT_HEALTHY_PANIC_THRESHOLD = Fraction.ofPercent(50);
    public static final CommonLbConfig DEFAULT = new CommonLbConfig(DEFAULT_HEALTHY_PANIC_THRESHOLD, false);

    public CommonLbConfig {
      Objects.requireNonNull(healthyPanicThreshold, "healthyPanicThreshold");
    }
  }

  /**
   * A transport socket chosen for endpoints whose {@code envoy.transport_socket_match} metadata contains every
   * entry of {@code match}; istiod's auto-mTLS sends {@code tlsMode-istio} ({@code {tlsMode: istio}}) and a
   * catch-all {@code tlsMode-disabled}.
   *
   * @param tls empty for plaintext
   */
  public record TransportSocketMatch(String name, Map<String, Object> match, Optional<TlsContext.Upstream> tls) {
    public TransportSocketMatch {
      Objects.requireNonNull(name, "name");
      match = Map.copyOf(match);
      Objects.requireNonNull(tls, "tls");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
    }
  }
}
