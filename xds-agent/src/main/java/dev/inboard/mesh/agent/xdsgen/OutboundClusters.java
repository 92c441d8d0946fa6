package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.authn.MtlsMode;
import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbound clusters of one service port: {@code outbound|PORT||HOST} and one {@code outbound|PORT|SUBSET|HOST}
 * per subset of the applicable DestinationRule, typed by the service's resolution (EDS, STRICT_DNS, LOGICAL_DNS
 * with inline endpoints, ORIGINAL_DST), with the rule's merged traffic policy applied.
 */
final class OutboundClusters {
  static final Duration DNS_REFRESH_RATE = Duration.ofSeconds(60);
  static final Duration DNS_JITTER = Duration.ofMillis(100);
  static final int CARES_UDP_MAX_QUERIES = 100;

  private OutboundClusters() {}

  static String name(int port, String subset, String host) {
    return "outbound|" + port + "|" + subset + "|" + host;
  }

  static String sni(int port, String subset, String host) {
    return "outbound_." + port + "_." + subset + "_." + host;
  }

  static Cluster.DiscoveryType type(MeshService s) {
    return switch (s.resolution()) {
      case STATIC -> Cluster.DiscoveryType.EDS;
      case DNS -> Cluster.DiscoveryType.STRICT_DNS;
      case DNS_ROUND_ROBIN -> Cluster.DiscoveryType.LOGICAL_DNS;
      case NONE -> Cluster.DiscoveryType.ORIGINAL_DST;
    };
  }

  static List<Cluster> build(ClusterContext ctx, MeshService service, ServicePort port) {
    Optional<ConfigResource<DestinationRule>> rule = ctx.rules().outbound(ctx.proxy(), service);
    TrafficPolicy top = rule.map(r -> r.spec().getTrafficPolicy()).orElseGet(TrafficPolicy::new);
    TrafficPolicy policy = TrafficPolicies.merge(top, Optional.empty(), port.port());
    Cluster.DiscoveryType type = type(service);
    List<Cluster> out = new ArrayList<>();
    String name = name(port.port(), "", service.hostname());
    List<LocalityLbEndpoints> endpoints = List.of();
    if (isDns(type)) {
      endpoints = LbEndpoints.build(ctx.proxy(), ctx.push(), ctx.peerAuthn(), new LbEndpoints.Request(service, port,
          Map.of(), LbEndpoints.ruleTlsMode(top, port.port()), Optional.of(policy), false));
      if (endpoints.isEmpty()) {
        return out; // istiod drops a DNS cluster without endpoints, and its subsets with it
      }
    }
    ClusterDraft main = base(ctx, name, type, endpoints, service, port);
    boolean ruleHasSelector = rule.flatMap(r -> DestinationRuleIndex.selector(r.spec())).isPresent();
    TrafficPolicyApplier.outbound(main, policy, port, tls(ctx, service, port, policy, top, "", ruleHasSelector));
    finish(main);
    if (service.external()) {
      ClusterMetadata.put(main.cluster, "external", Value.newBuilder().setBoolValue(true).build());
    }
    rule.ifPresent(r -> {
      ClusterMetadata.config(main.cluster, r);
      alpnOverride(main, policy);
    });
    out.add(main.build());
    if (rule.isPresent() && rule.get().spec().getSubsets() != null) {
      for (Subset subset : rule.get().spec().getSubsets()) {
        subset(ctx, service, port, rule.get(), top, subset, type, ruleHasSelector).ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<Cluster> subset(ClusterContext ctx, MeshService service, ServicePort port,
      ConfigResource<DestinationRule> rule, TrafficPolicy top, Subset subset, Cluster.DiscoveryType parentType,
      boolean ruleHasSelector) {
    String subsetName = subset.getName() == null ? "" : subset.getName();
    Optional<TrafficPolicy> own = Optional.ofNullable(subset.getTrafficPolicy());
    TrafficPolicy policy = TrafficPolicies.merge(top, own, port.port());
    boolean passthrough = own.map(TrafficPolicy::getLoadBalancer).map(lb -> lb.getLbPolicy())
        .filter(LoadBalancerSettingsSimple.class::isInstance)
        .map(p -> ((LoadBalancerSettingsSimple) p).getSimple() == LoadBalancerSettingsSimpleLB.PASSTHROUGH)
        .orElse(false);
    Cluster.DiscoveryType type = passthrough ? Cluster.DiscoveryType.ORIGINAL_DST : parentType;
    List<LocalityLbEndpoints> endpoints = List.of();
    if (!passthrough && type != Cluster.DiscoveryType.EDS) {
      // istiod's endpoint builder reads only the subset's own TLS mode here.
      Optional<ClientTLSSettingsTLSmode> subsetTls = own.flatMap(p -> LbEndpoints.ruleTlsMode(p, port.port()));
      endpoints = LbEndpoints.build(ctx.proxy(), ctx.push(), ctx.peerAuthn(), new LbEndpoints.Request(service, port,
          subset.getLabels() == null ? Map.of() : subset.getLabels(), subsetTls, Optional.of(policy), false));
      if (isDns(type) && endpoints.isEmpty()) {
        return Optional.empty();
      }
    }
    ClusterDraft draft = base(ctx, name(port.port(), subsetName, service.hostname()), type, endpoints, service, port);
    TrafficPolicyApplier.outbound(draft, policy, port,
        tls(ctx, service, port, policy, own.orElseGet(TrafficPolicy::new), subsetName, ruleHasSelector));
    finish(draft);
    ClusterMetadata.config(draft.cluster, rule);
    ClusterMetadata.put(draft.cluster, "subset", ClusterMetadata.str(subsetName));
    alpnOverride(draft, policy);
    return Optional.of(draft.build());
  }

  /** What every cluster starts from: name, type, stats name, DNS settings, protocol, telemetry metadata. */
  static ClusterDraft base(ClusterContext ctx, String name, Cluster.DiscoveryType type,
      List<LocalityLbEndpoints> endpoints, MeshService service, ServicePort port) {
    Cluster.Builder c = Cluster.newBuilder().setName(name).setType(type)
        .setCommonLbConfig(Cluster.CommonLbConfig.getDefaultInstance()).setAltStatName(name + ";");
    if (isDns(type)) {
      c.setDnsLookupFamily(ctx.ipv6Only() ? Cluster.DnsLookupFamily.V6_ONLY : Cluster.DnsLookupFamily.V4_ONLY)
          .setTypedDnsResolverConfig(TypedExtensionConfig.newBuilder().setName("envoy.network.dns_resolver.cares")
              .setTypedConfig(Any.pack(CaresDnsResolverConfig.newBuilder()
                  .setUdpMaxQueries(UInt32Value.of(CARES_UDP_MAX_QUERIES)).build())))
          .setDnsJitter(IstioDurations.toProto(DNS_JITTER))
          .setDnsRefreshRate(IstioDurations.toProto(DNS_REFRESH_RATE))
          .setRespectDnsTtl(true)
          .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(name).addAllEndpoints(endpoints));
    }
    ClusterDraft draft = new ClusterDraft(c);
    if (port.protocol() == Protocol.HTTP2 || port.protocol() == Protocol.GRPC || port.protocol() == Protocol.GRPC_WEB) {
      draft.useHttp2();
    } else if (port.protocol() == Protocol.UNSUPPORTED) {
      draft.useDownstreamProtocol();
    }
    ClusterMetadata.services(c, List.of(service));
    return draft;
  }

  /** EDS from ADS for EDS clusters, and the metadata-exchange filter. */
  private static void finish(ClusterDraft draft) {
    if (draft.cluster.getType() == Cluster.DiscoveryType.EDS) {
      draft.cluster.setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
          .setServiceName(draft.cluster.getName())
          .setEdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
              .setInitialFetchTimeout(com.google.protobuf.Duration.getDefaultInstance())
              .setResourceApiVersion(ApiVersion.V3)));
    }
    draft.cluster.addFilters(ClusterMetadata.METADATA_EXCHANGE);
  }

  private static ClusterTls.Input tls(ClusterContext ctx, MeshService service, ServicePort port,
      TrafficPolicy merged, TrafficPolicy forModeInference, String subset, boolean ruleHasSelector) {
    MtlsMode mode = serviceMode(ctx, service, forModeInference);
    return new ClusterTls.Input(Optional.ofNullable(merged.getTls()), ctx.serviceAccounts(service),
        sni(port.port(), subset, service.hostname()), service.external(), !SidecarScope.isKubernetes(service), mode,
        !service.external(), ruleHasSelector);
  }

  /**
   * istiod's best-effort guess of a service's mTLS mode for automatic mTLS: passthrough services need every
   * workload to take mTLS; otherwise the namespace's (or mesh's) PeerAuthentication decides.
   */
  private static MtlsMode serviceMode(ClusterContext ctx, MeshService service, TrafficPolicy tp) {
    boolean passthroughLb = tp.getLoadBalancer() != null && tp.getLoadBalancer().getLbPolicy()
        instanceof LoadBalancerSettingsSimple s && s.getSimple() == LoadBalancerSettingsSimpleLB.PASSTHROUGH;
    if (service.resolution() == MeshService.Resolution.NONE || passthroughLb) {
      var instances = ctx.push().registry().instancesOf(service);
      if (instances.isEmpty() || instances.stream().anyMatch(w -> !w.mtls())) {
        return MtlsMode.DISABLE;
      }
    }
    return ctx.peerAuthn().namespaceMode(service.namespace());
  }

  private static void alpnOverride(ClusterDraft draft, TrafficPolicy policy) {
    ClientTLSSettings tls = policy.getTls();
    if (tls != null && (tls.getMode() == ClientTLSSettingsTLSmode.SIMPLE
        || tls.getMode() == ClientTLSSettingsTLSmode.MUTUAL)) {
      ClusterMetadata.put(draft.cluster, "alpn_override", ClusterMetadata.str("false"));
    }
  }

  static boolean isDns(Cluster.DiscoveryType type) {
    return type == Cluster.DiscoveryType.STRICT_DNS || type == Cluster.DiscoveryType.LOGICAL_DNS;
  }
}
