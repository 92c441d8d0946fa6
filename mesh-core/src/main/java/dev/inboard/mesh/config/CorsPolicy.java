package dev.inboard.mesh.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CORS policy: {@code envoy.extensions.filters.http.cors.v3.CorsPolicy} (per-filter config, as Istio sends it)
 * or the deprecated route and virtual host {@code cors} field. Header values are kept as the strings Envoy would
 * send ({@code allow_methods: "GET,POST"}); an empty string in xDS is absent here.
 *
 * @param allowOrigins an origin is allowed when any matcher matches it
 * @param filterEnabled share of requests the policy is enforced for; 100% when unset
 * @param shadowEnabled share of requests the policy is evaluated for without being enforced
 * @param forwardNotMatchingPreflights forward preflights whose origin is not allowed upstream; true when unset
 */
public record CorsPolicy(
    List<StringMatcher> allowOrigins,
    Optional<String> allowMethods,
    Optional<String> allowHeaders,
    Optional<String> exposeHeaders,
    Optional<String> maxAge,
    Optional<Boolean> allowCredentials,
    Fraction filterEnabled,
    Optional<Fraction> shadowEnabled,
    Optional<Boolean> allowPrivateNetworkAccess,
    boolean forwardNotMatchingPreflights) {

  public CorsPolicy {
    allowOrigins = List.copyOf(allowOrigins);
    Objects.requireNonNull(allowMethods, "allowMethods");
    Objects.requireNonNull(allowHeaders, "allowHeaders");
    Objects.requireNonNull(exposeHeaders, "exposeHeaders");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(allowCredentials, "allowCredentials");
    Objects.requireNonNull(filterEnabled, "filterEnabled");
    Objects.requireNonNull(shadowEnabled, "shadowEnabled");
    Objects.requireNonNull(allowPrivateNetworkAccess, "allowPrivateNetworkAccess");
  }
}
