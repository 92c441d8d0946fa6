package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.CorsPolicy;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.StringMatcher;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CORS policies to {@link CorsPolicy}: the CORS filter's per-route {@code CorsPolicy} and the deprecated
 * {@code cors} field of routes and virtual hosts (the same fields under another message).
 */
final class CorsParser {
  static final String POLICY_TYPE_URL =
      TypedConfigs.typeUrl(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor());

  private CorsParser() {}

  static CorsPolicy cors(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy c)
      throws XdsValidationException {
    return new CorsPolicy(
        origins(c.getAllowOriginStringMatchList()),
        text(c.getAllowMethods()),
        text(c.getAllowHeaders()),
        text(c.getExposeHeaders()),
        text(c.getMaxAge()),
        c.hasAllowCredentials() ? Optional.of(c.getAllowCredentials().getValue()) : Optional.empty(),
        c.hasFilterEnabled() ? Validation.at("filter_enabled", () -> runtimeFraction(c.getFilterEnabled()))
            : Fraction.ALL,
        c.hasShadowEnabled()
            ? Optional.of(Validation.at("shadow_enabled", () -> runtimeFraction(c.getShadowEnabled())))
            : Optional.empty(),
        c.hasAllowPrivateNetworkAccess() ? Optional.of(c.getAllowPrivateNetworkAccess().getValue())
            : Optional.empty(),
        !c.hasForwardNotMatchingPreflights() || c.getForwardNotMatchingPreflights().getValue());
  }

  /**
   * The deprecated route and virtual host {@code cors} field. Its fields carry the same JSON names as the CORS
   * filter's per-route policy, so it is read through that one conversion.
   */
  static CorsPolicy cors(io.envoyproxy.envoy.config.route.v3.CorsPolicy c) throws XdsValidationException {
    io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.Builder same =
        io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.newBuilder();
    try {
      com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields()
          .merge(com.google.protobuf.util.JsonFormat.printer().print(c), same);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw XdsValidationException.of("cannot read cors policy: " + e.getMessage());
    }
    return cors(same.build());
  }

  private static List<StringMatcher> origins(List<io.envoyproxy.envoy.type.matcher.v3.StringMatcher> matchers)
      throws XdsValidationException {
    List<StringMatcher> out = new ArrayList<>(matchers.size());
    for (int i = 0; i < matchers.size(); i++) {
      io.envoyproxy.envoy.type.matcher.v3.StringMatcher m = matchers.get(i);
      out.add(Validation.at(Validation.indexed("allow_origin_string_match", i), () -> CommonProtos.stringMatcher(m)));
    }
    return out;
  }

  /** The default value of a runtime fraction; runtime keys are not consulted. */
  static Fraction runtimeFraction(RuntimeFractionalPercent p) throws XdsValidationException {
    return Validation.at("default_value", () -> CommonProtos.fraction(p.getDefaultValue()));
  }

  private static Optional<String> text(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
