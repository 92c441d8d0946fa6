package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.IsStringMatchMatchType;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A VirtualService {@code match} entry as an Envoy {@code RouteMatch}, the way istiod writes it for sidecars:
 * {@code uri} to path/prefix/safe_regex (default prefix {@code /}), {@code headers} and {@code withoutHeaders}
 * (inverted) sorted by name, then {@code :method}, {@code :authority}, {@code :scheme}; {@code queryParams};
 * {@code case_sensitive} always set. A regex of {@code *} or an empty match means "present".
 */
final class RouteMatches {
  private static final String JWT_CLAIM_PREFIX = "@request.auth.claims";

  private RouteMatches() {}

  /** The match of a route without {@code match} (and of default routes): prefix {@code /} and nothing else. */
  static RouteMatch catchAll() {
    return RouteMatch.newBuilder().setPrefix("/").build();
  }

  static RouteMatch translate(HTTPMatchRequest in) {
    RouteMatch.Builder out = RouteMatch.newBuilder().setPrefix("/");
    List<HeaderMatcher> headers = new ArrayList<>();
    for (Map.Entry<String, StringMatch> e : sorted(in.getHeaders()).entrySet()) {
      rejectClaim(e.getKey(), "headers");
      headers.add(header(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, StringMatch> e : sorted(in.getWithoutHeaders()).entrySet()) {
      rejectClaim(e.getKey(), "withoutHeaders");
      HeaderMatcher.Builder m = header(e.getKey(), e.getValue()).toBuilder().setInvertMatch(true);
      if (!isPresentMatch(e.getValue())) {
        m.setTreatMissingHeaderAsEmpty(true);
      }
      headers.add(m.build());
    }
    headers.sort(Comparator.comparing(HeaderMatcher::getName));
    out.addAllHeaders(headers);

    if (in.getUri() != null && in.getUri().getMatchType() != null) {
      IsStringMatchMatchType uri = in.getUri().getMatchType();
      if (uri instanceof StringMatchExact exact) {
        out.setPath(exact.getExact());
      } else if (uri instanceof StringMatchPrefix prefix) {
        out.setPrefix(prefix.getPrefix());
      } else if (uri instanceof StringMatchRegex regex) {
        out.setSafeRegex(RegexMatcher.newBuilder().setRegex(regex.getRegex()));
      }
    }
    out.setCaseSensitive(BoolValue.of(!Boolean.TRUE.equals(in.getIgnoreUriCase())));
    if (in.getMethod() != null) {
      out.addHeaders(header(":method", in.getMethod()));
    }
    if (in.getAuthority() != null) {
      out.addHeaders(header(":authority", in.getAuthority()));
    }
    if (in.getScheme() != null) {
      out.addHeaders(header(":scheme", in.getScheme()));
    }
    for (Map.Entry<String, StringMatch> e : sorted(in.getQueryParams()).entrySet()) {
      QueryParameterMatcher.Builder q = QueryParameterMatcher.newBuilder().setName(e.getKey());
      if (isPresentMatch(e.getValue())) {
        q.setPresentMatch(true);
      } else {
        q.setStringMatch(stringMatcher(e.getValue()));
      }
      out.addQueryParameters(q);
    }
    return out.build();
  }

  /** A route matching every request: prefix {@code /} or regex {@code .*}, with no header or query condition. */
  static boolean isCatchAll(Route route) {
    RouteMatch m = route.getMatch();
    boolean anyPath = switch (m.getPathSpecifierCase()) {
      case PREFIX -> m.getPrefix().equals("/");
      case PATH_SEPARATED_PREFIX -> m.getPathSeparatedPrefix().equals("/");
      case SAFE_REGEX -> m.getSafeRegex().getRegex().equals(".*");
      default -> false;
    };
    return anyPath && m.getHeadersCount() == 0 && m.getQueryParametersCount() == 0
        && m.getDynamicMetadataCount() == 0;
  }

  /** A VirtualService string match as Envoy's string matcher; empty for an empty match. */
  static Optional<StringMatcher> stringMatcherOf(@Nullable StringMatch in) {
    if (in == null || in.getMatchType() == null) {
      return Optional.empty();
    }
    IsStringMatchMatchType type = in.getMatchType();
    if (type instanceof StringMatchExact exact) {
      return Optional.of(StringMatcher.newBuilder().setExact(exact.getExact()).build());
    }
    if (type instanceof StringMatchPrefix prefix) {
      return Optional.of(StringMatcher.newBuilder().setPrefix(prefix.getPrefix()).build());
    }
    if (type instanceof StringMatchRegex regex) {
      return Optional.of(StringMatcher.newBuilder()
          .setSafeRegex(RegexMatcher.newBuilder().setRegex(regex.getRegex())).build());
    }
    return Optional.empty();
  }

  private static HeaderMatcher header(String name, @Nullable StringMatch match) {
    HeaderMatcher.Builder out = HeaderMatcher.newBuilder().setName(name);
    if (isPresentMatch(match)) {
      out.setPresentMatch(true);
    } else {
      out.setStringMatch(stringMatcher(match));
    }
    return out.build();
  }

  private static StringMatcher stringMatcher(@Nullable StringMatch match) {
    return stringMatcherOf(match).orElseThrow();
  }

  /** No match type, or the regex {@code *} (not RE2: istiod reads it as "the header is present"). */
  private static boolean isPresentMatch(@Nullable StringMatch match) {
    if (match == null || match.getMatchType() == null) {
      return true;
    }
    return match.getMatchType() instanceof StringMatchRegex regex && "*".equals(regex.getRegex());
  }

  private static void rejectClaim(String header, String field) {
    if (header.startsWith(JWT_CLAIM_PREFIX)) {
      throw new SkippedRoute(field + " '" + header + "' routes on JWT claims, which needs dynamic metadata "
          + "matching the client does not evaluate");
    }
  }

  private static Map<String, StringMatch> sorted(@Nullable Map<String, StringMatch> map) {
    return map == null ? Map.of() : new TreeMap<>(map);
  }
}
