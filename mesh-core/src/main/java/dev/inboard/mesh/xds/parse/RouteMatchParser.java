package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code route.v3.RouteMatch} to {@link RouteMatch}. Conditions the runtime cannot evaluate (CONNECT matching, path
 * match extensions, TLS context, dynamic metadata and filter state) are refused rather than ignored, since ignoring a
 * condition would widen the route.
 */
final class RouteMatchParser {
  private static final int MAX_QUERY_PARAMETER_NAME_BYTES = 1024;

  private RouteMatchParser() {}

  static RouteMatch match(io.envoyproxy.envoy.config.route.v3.RouteMatch m) throws XdsValidationException {
    RouteMatch.PathMatcher path = path(m);
    Validation.check(!m.hasTlsContext(), "tls_context", "not supported");
    Validation.check(m.getDynamicMetadataCount() == 0, "dynamic_metadata", "not supported");
    Validation.check(m.getFilterStateCount() == 0, "filter_state", "not supported");
    Optional<Fraction> runtimeFraction = m.hasRuntimeFraction()
        ? Optional.of(Validation.at("runtime_fraction", () -> CorsParser.runtimeFraction(m.getRuntimeFraction())))
        : Optional.empty();
    return new RouteMatch(
        path,
        !m.hasCaseSensitive() || m.getCaseSensitive().getValue(),
        HeaderMatchers.list("headers", m.getHeadersList()),
        queryParameters(m.getQueryParametersList()),
        runtimeFraction,
        m.hasGrpc());
  }

  private static RouteMatch.PathMatcher path(io.envoyproxy.envoy.config.route.v3.RouteMatch m)
      throws XdsValidationException {
    return switch (m.getPathSpecifierCase()) {
      case PREFIX -> new RouteMatch.PathMatcher.Prefix(m.getPrefix());
      case PATH -> new RouteMatch.PathMatcher.Exact(m.getPath());
      case SAFE_REGEX -> new RouteMatch.PathMatcher.Regex(
          Validation.at("safe_regex", () -> CommonProtos.regex(m.getSafeRegex())));
      case PATH_SEPARATED_PREFIX -> {
        String prefix = m.getPathSeparatedPrefix();
        Validation.check(validSeparatedPrefix(prefix), "path_separated_prefix",
            "must be non-empty, free of '?' and '#', and not end with '/', was '" + prefix + "'");
        yield new RouteMatch.PathMatcher.PathSeparatedPrefix(prefix);
      }
      case CONNECT_MATCHER -> throw new XdsValidationException("connect_matcher", "not supported");
      case PATH_MATCH_POLICY -> throw new XdsValidationException("path_match_policy",
          "not supported (extension '" + m.getPathMatchPolicy().getName() + "')");
      case PATHSPECIFIER_NOT_SET -> throw XdsValidationException.of(
          "one of prefix, path, safe_regex or path_separated_prefix must be set");
    };
  }

  /** Envoy's rule for {@code path_separated_prefix}: {@code ^[^?#]+[^?#/]$}. */
  private static boolean validSeparatedPrefix(String prefix) {
    return prefix.length() >= 2 && prefix.indexOf('?') < 0 && prefix.indexOf('#') < 0 && !prefix.endsWith("/");
  }

  private static List<RouteMatch.QueryParameterMatcher> queryParameters(
      List<io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher> matchers) throws XdsValidationException {
    List<RouteMatch.QueryParameterMatcher> out = new ArrayList<>(matchers.size());
    for (int i = 0; i < matchers.size(); i++) {
      io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher q = matchers.get(i);
      out.add(Validation.at(Validation.indexed("query_parameters", i), () -> queryParameter(q)));
    }
    return out;
  }

  private static RouteMatch.QueryParameterMatcher queryParameter(
      io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher q) throws XdsValidationException {
    Validation.check(!q.getName().isEmpty(), "name", "must not be empty");
    Validation.check(q.getNameBytes().size() <= MAX_QUERY_PARAMETER_NAME_BYTES, "name",
        "must be at most " + MAX_QUERY_PARAMETER_NAME_BYTES + " bytes, was " + q.getNameBytes().size());
    Optional<StringMatcher> value = Optional.empty();
    if (q.hasStringMatch()) {
      value = Optional.of(Validation.at("string_match", () -> CommonProtos.stringMatcher(q.getStringMatch())));
    }
    // Without a string matcher Envoy checks presence only, whatever present_match says.
    return new RouteMatch.QueryParameterMatcher(q.getName(), value);
  }
}
