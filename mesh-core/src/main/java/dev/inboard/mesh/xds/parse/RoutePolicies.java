package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HashPolicy;
import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.config.RegexRewrite;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Hash policies, mirror policies and regex rewrites of routes. */
final class RoutePolicies {
  private RoutePolicies() {}

  static List<MirrorPolicy> mirrors(List<RouteAction.RequestMirrorPolicy> policies) throws XdsValidationException {
    List<MirrorPolicy> out = new ArrayList<>(policies.size());
    for (int i = 0; i < policies.size(); i++) {
      RouteAction.RequestMirrorPolicy p = policies.get(i);
      out.add(Validation.at(Validation.indexed("request_mirror_policies", i), () -> mirror(p)));
    }
    return out;
  }

  private static MirrorPolicy mirror(RouteAction.RequestMirrorPolicy p) throws XdsValidationException {
    Validation.check(p.getClusterHeader().isEmpty(), "cluster_header", "not supported; name the cluster");
    Validation.check(!p.getCluster().isEmpty(), "cluster", "must not be empty");
    Fraction fraction = p.hasRuntimeFraction()
        ? Validation.at("runtime_fraction", () -> CorsParser.runtimeFraction(p.getRuntimeFraction()))
        : Fraction.ALL;
    return new MirrorPolicy(p.getCluster(), fraction,
        p.hasTraceSampled() ? Optional.of(p.getTraceSampled().getValue()) : Optional.empty(),
        p.getDisableShadowHostSuffixAppend());
  }

  static List<HashPolicy> hashPolicies(List<RouteAction.HashPolicy> policies) throws XdsValidationException {
    List<HashPolicy> out = new ArrayList<>(policies.size());
    for (int i = 0; i < policies.size(); i++) {
      RouteAction.HashPolicy p = policies.get(i);
      out.add(Validation.at(Validation.indexed("hash_policy", i), () -> hashPolicy(p)));
    }
    return out;
  }

  private static HashPolicy hashPolicy(RouteAction.HashPolicy p) throws XdsValidationException {
    boolean terminal = p.getTerminal();
    return switch (p.getPolicySpecifierCase()) {
      case HEADER -> {
        RouteAction.HashPolicy.Header h = p.getHeader();
        Validation.check(!h.getHeaderName().isEmpty(), "header.header_name", "must not be empty");
        Optional<RegexRewrite> rewrite = h.hasRegexRewrite()
            ? Optional.of(Validation.at("header.regex_rewrite", () -> regexRewrite(h.getRegexRewrite())))
            : Optional.empty();
        yield new HashPolicy.Header(h.getHeaderName(), rewrite, terminal);
      }
      case COOKIE -> {
        RouteAction.HashPolicy.Cookie c = p.getCookie();
        Validation.check(!c.getName().isEmpty(), "cookie.name", "must not be empty");
        Optional<Duration> ttl = c.hasTtl()
            ? Optional.of(Validation.at("cookie.ttl", () -> CommonProtos.duration(c.getTtl())))
            : Optional.empty();
        yield new HashPolicy.Cookie(c.getName(), ttl,
            c.getPath().isEmpty() ? Optional.empty() : Optional.of(c.getPath()), terminal);
      }
      case CONNECTION_PROPERTIES -> new HashPolicy.ConnectionProperties(p.getConnectionProperties().getSourceIp(),
          terminal);
      case QUERY_PARAMETER -> {
        Validation.check(!p.getQueryParameter().getName().isEmpty(), "query_parameter.name", "must not be empty");
        yield new HashPolicy.QueryParameter(p.getQueryParameter().getName(), terminal);
      }
      case FILTER_STATE -> {
        Validation.check(!p.getFilterState().getKey().isEmpty(), "filter_state.key", "must not be empty");
        yield new HashPolicy.FilterState(p.getFilterState().getKey(), terminal);
      }
      case POLICYSPECIFIER_NOT_SET -> throw XdsValidationException.of(
          "one of header, cookie, connection_properties, query_parameter or filter_state must be set");
    };
  }

  static RegexRewrite regexRewrite(RegexMatchAndSubstitute r) throws XdsValidationException {
    Validation.check(r.hasPattern(), "pattern", "must be set");
    return new RegexRewrite(Validation.at("pattern", () -> CommonProtos.regex(r.getPattern())), r.getSubstitution());
  }
}
