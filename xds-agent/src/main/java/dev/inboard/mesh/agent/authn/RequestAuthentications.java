package dev.inboard.mesh.agent.authn;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.ConfigSet;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtProvider;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementAndList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirementOrList;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RemoteJwks;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.RequirementRule;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.fabric8.istio.api.api.security.v1beta1.JWTRule;
import io.fabric8.istio.api.api.security.v1beta1.RequestAuthentication;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RequestAuthentication -> Envoy's {@code jwt_authn} filter, as istiod builds it: every policy that selects the
 * workload (mesh-wide from the root namespace, namespace-wide, by selector) contributes its rules; each rule is a
 * provider {@code origins-N} whose verified payload lands in metadata under the issuer; a request without a token
 * passes (authorization decides), a request with a bad token is refused.
 */
public final class RequestAuthentications {
  public static final String FILTER_NAME = "envoy.filters.http.jwt_authn";

  private RequestAuthentications() {}

  /** The JWT rules that apply to a workload: its namespace's policies, then the mesh-wide ones. */
  public static List<JWTRule> rulesFor(ConfigSet config, String namespace, Map<String, String> labels,
      String rootNamespace) {
    // istiod looks in the workload's namespace first, then in the root namespace (mesh-wide, no selector).
    List<JWTRule> rules = new ArrayList<>();
    for (String ns : namespace.equals(rootNamespace) ? List.of(namespace) : List.of(namespace, rootNamespace)) {
      for (ConfigResource<RequestAuthentication> r : config.requestAuthentications()) {
        RequestAuthentication spec = r.spec();
        Map<String, String> selector = spec.getSelector() == null || spec.getSelector().getMatchLabels() == null
            ? Map.of() : spec.getSelector().getMatchLabels();
        boolean applies = r.namespace().equals(ns) && (selector.isEmpty()
            || (ns.equals(namespace) && labels.entrySet().containsAll(selector.entrySet())));
        if (applies && spec.getJwtRules() != null) {
          rules.addAll(spec.getJwtRules());
        }
      }
    }
    return rules;
  }

  /** The filter, or empty when no rule applies. */
  public static Optional<HttpFilter> filter(List<JWTRule> rules) {
    if (rules.isEmpty()) {
      return Optional.empty();
    }
    JwtAuthentication.Builder config = JwtAuthentication.newBuilder().setBypassCorsPreflight(true);
    List<JwtRequirement> eachOrMissing = new ArrayList<>();
    List<JwtRequirement> anyProvider = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      String name = "origins-" + i;
      config.putProviders(name, provider(rules.get(i)));
      JwtRequirement provider = JwtRequirement.newBuilder().setProviderName(name).build();
      anyProvider.add(provider);
      eachOrMissing.add(JwtRequirement.newBuilder().setRequiresAny(JwtRequirementOrList.newBuilder()
          .addRequirements(provider)
          .addRequirements(JwtRequirement.newBuilder().setAllowMissing(Empty.getDefaultInstance()))).build());
    }
    JwtRequirement requirement;
    if (rules.size() == 1) {
      requirement = eachOrMissing.get(0);
    } else {
      // Any one provider accepting the token, or every provider either accepting or finding no token of its own.
      List<JwtRequirement> or = new ArrayList<>(anyProvider);
      or.add(JwtRequirement.newBuilder().setRequiresAll(
          JwtRequirementAndList.newBuilder().addAllRequirements(eachOrMissing)).build());
      requirement = JwtRequirement.newBuilder().setRequiresAny(
          JwtRequirementOrList.newBuilder().addAllRequirements(or)).build();
    }
    config.addRules(RequirementRule.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRequires(requirement));
    return Optional.of(HttpFilter.newBuilder().setName(FILTER_NAME).setTypedConfig(Any.pack(config.build()))
        .build());
  }

  private static JwtProvider provider(JWTRule rule) {
    JwtProvider.Builder p = JwtProvider.newBuilder()
        .setIssuer(nullToEmpty(rule.getIssuer()))
        .setPayloadInMetadata(nullToEmpty(rule.getIssuer()))
        .setForward(Boolean.TRUE.equals(rule.getForwardOriginalToken()));
    if (rule.getAudiences() != null) {
      p.addAllAudiences(rule.getAudiences());
    }
    if (rule.getFromHeaders() != null) {
      rule.getFromHeaders().forEach(h -> p.addFromHeaders(JwtHeader.newBuilder().setName(nullToEmpty(h.getName()))
          .setValuePrefix(nullToEmpty(h.getPrefix()))));
    }
    if (rule.getFromParams() != null) {
      p.addAllFromParams(rule.getFromParams());
    }
    if (rule.getFromCookies() != null) {
      p.addAllFromCookies(rule.getFromCookies());
    }
    if (rule.getOutputPayloadToHeader() != null && !rule.getOutputPayloadToHeader().isEmpty()) {
      p.setForwardPayloadHeader(rule.getOutputPayloadToHeader());
    }
    if (rule.getOutputClaimToHeaders() != null) {
      rule.getOutputClaimToHeaders().forEach(c -> p.addClaimToHeaders(JwtClaimToHeader.newBuilder()
          .setHeaderName(nullToEmpty(c.getHeader())).setClaimName(nullToEmpty(c.getClaim()))));
    }
    if (rule.getJwks() != null && !rule.getJwks().isEmpty()) {
      p.setLocalJwks(DataSource.newBuilder().setInlineString(rule.getJwks()));
    } else if (rule.getJwksUri() != null && !rule.getJwksUri().isEmpty()) {
      p.setRemoteJwks(RemoteJwks.newBuilder()
          .setHttpUri(HttpUri.newBuilder().setUri(rule.getJwksUri()).setCluster(jwksCluster(rule.getJwksUri()))
              .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5)))
          .setCacheDuration(com.google.protobuf.Duration.newBuilder().setSeconds(300)));
    }
    return p.build();
  }

  /** The outbound cluster istiod names for a JWKS URI's host and port. */
  static String jwksCluster(String jwksUri) {
    URI uri = URI.create(jwksUri);
    int port = uri.getPort() > 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
    return "outbound|" + port + "||" + uri.getHost();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
