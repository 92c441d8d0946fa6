package dev.inboard.mesh.agent.xdsgen;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLB;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpCookie;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpHeaderName;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBHttpQueryParameterName;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBUseSourceIp;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.Optional;

/** A DestinationRule's consistent-hash key as the route's hash policy. */
final class ConsistentHashPolicies {
  private ConsistentHashPolicies() {}

  static Optional<RouteAction.HashPolicy> of(DestinationRule dr, int port, String subsetName) {
    Optional<LoadBalancerSettingsConsistentHashLB> top = Optional.ofNullable(dr.getTrafficPolicy())
        .flatMap(ConsistentHashPolicies::consistentHash);
    Optional<LoadBalancerSettingsConsistentHashLB> topPort = Optional.ofNullable(dr.getTrafficPolicy())
        .flatMap(p -> TrafficPolicies.forPort(p, port)).flatMap(ConsistentHashPolicies::consistentHash);
    Optional<TrafficPolicy> subsetPolicy = subsetName.isEmpty() || dr.getSubsets() == null ? Optional.empty()
        : dr.getSubsets().stream().filter(s -> subsetName.equals(s.getName())).findFirst()
            .map(Subset::getTrafficPolicy);
    Optional<LoadBalancerSettingsConsistentHashLB> subset = subsetPolicy.flatMap(ConsistentHashPolicies::consistentHash);
    Optional<LoadBalancerSettingsConsistentHashLB> subsetPort = subsetPolicy
        .flatMap(p -> TrafficPolicies.forPort(p, port)).flatMap(ConsistentHashPolicies::consistentHash);
    Optional<LoadBalancerSettingsConsistentHashLB> chosen =
        subsetPort.or(() -> subset).or(() -> topPort).or(() -> top);
    return chosen.flatMap(ConsistentHashPolicies::convert);
  }

  static Optional<LoadBalancerSettingsConsistentHashLB> consistentHash(TrafficPolicy policy) {
    return policy.getLoadBalancer() == null ? Optional.empty() : consistentHash(policy.getLoadBalancer());
  }

  static Optional<LoadBalancerSettingsConsistentHashLB> consistentHash(LoadBalancerSettings lb) {
    if (lb.getLbPolicy() instanceof LoadBalancerSettingsConsistentHash hash
        && hash.getConsistentHash() != null) {
      return Optional.of(hash.getConsistentHash());
    }
    return Optional.empty();
  }

  private static Optional<RouteAction.HashPolicy> convert(LoadBalancerSettingsConsistentHashLB hash) {
    RouteAction.HashPolicy.Builder out = RouteAction.HashPolicy.newBuilder();
    if (hash.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBHttpHeaderName header) {
      out.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(orEmpty(header.getHttpHeaderName())));
    } else if (hash.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBHttpCookie cookie
        && cookie.getHttpCookie() != null) {
      var c = cookie.getHttpCookie();
      RouteAction.HashPolicy.Cookie.Builder b = RouteAction.HashPolicy.Cookie.newBuilder()
          .setName(orEmpty(c.getName())).setPath(orEmpty(c.getPath()));
      if (c.getTtl() != null && !c.getTtl().isEmpty()) {
        b.setTtl(IstioDurations.proto(c.getTtl()));
      }
      if (c.getAttributes() != null) {
        c.getAttributes().forEach(a -> b.addAttributes(RouteAction.HashPolicy.CookieAttribute.newBuilder()
            .setName(orEmpty(a.getName())).setValue(orEmpty(a.getValue()))));
      }
      out.setCookie(b);
    } else if (hash.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBUseSourceIp sourceIp) {
      out.setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder()
          .setSourceIp(Boolean.TRUE.equals(sourceIp.getUseSourceIp())));
    } else if (hash.getHashKey() instanceof LoadBalancerSettingsConsistentHashLBHttpQueryParameterName query) {
      out.setQueryParameter(RouteAction.HashPolicy.QueryParameter.newBuilder()
          .setName(orEmpty(query.getHttpQueryParameterName())));
    } else {
      return Optional.empty();
    }
    return Optional.of(out.build());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
