package dev.inboard.mesh.routing;

import com.google.re2j.Pattern;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.RouteMatch.PathMatcher;
import dev.inboard.mesh.config.RouteRule;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One route's match compiled: Envoy checks the path ({@code prefix} against the whole {@code :path}; {@code path},
 * {@code safe_regex} (full match) and {@code path_separated_prefix} against the path without its query string),
 * then headers, query parameters, the runtime fraction and the gRPC flag. All must hold.
 */
final class CompiledRoute {
  static final int PREFIX = 0;
  static final int EXACT = 1;
  static final int REGEX = 2;
  static final int SEPARATED_PREFIX = 3;

  final int order;
  final RouteRule rule;
  final int kind;
  /** The prefix or exact path; for a regex, the literal text every match starts with (possibly empty). */
  final String literal;
  final boolean caseSensitive;
  private final @Nullable Pattern regex;
  private final CompiledHeaderMatcher[] headers;
  private final String[] queryNames;
  private final @Nullable CompiledStringMatcher[] queryValues;
  /** Parts per million of the runtime fraction, or -1 without one. */
  private final int runtimePerMillion;
  private final boolean grpc;
  final RouteResolver action;
  /** The action's decision when it does not depend on the request, kept here to save a hop on the hot path. */
  private final @Nullable RouteDecision staticDecision;
  private final boolean staticUnlessGrpc;

  CompiledRoute(int order, RouteRule rule, RouteResolver action) {
    this.order = order;
    this.rule = rule;
    this.action = action;
    this.staticDecision = action.staticDecision();
    this.staticUnlessGrpc = action.staticUnlessGrpc();
    RouteMatch match = rule.match();
    PathMatcher path = match.path();
    this.caseSensitive = match.caseSensitive();
    if (path instanceof PathMatcher.Prefix p) {
      kind = PREFIX;
      literal = p.prefix();
      regex = null;
    } else if (path instanceof PathMatcher.Exact e) {
      kind = EXACT;
      literal = e.path();
      regex = null;
    } else if (path instanceof PathMatcher.PathSeparatedPrefix s) {
      kind = SEPARATED_PREFIX;
      literal = s.prefix();
      regex = null;
    } else {
      kind = REGEX;
      String source = ((PathMatcher.Regex) path).regex();
      literal = RegexLiteral.prefix(source);
      regex = Pattern.compile(source);
    }
    this.headers = match.headers().stream().map(CompiledHeaderMatcher::new).toArray(CompiledHeaderMatcher[]::new);
    this.queryNames = match.queryParameters().stream().map(RouteMatch.QueryParameterMatcher::name)
        .toArray(String[]::new);
    this.queryValues = match.queryParameters().stream()
        .map(q -> q.value().map(CompiledStringMatcher::of).orElse(null))
        .toArray(CompiledStringMatcher[]::new);
    this.runtimePerMillion = match.runtimeFraction().map(Fraction::perMillion).orElse(-1);
    this.grpc = match.grpc();
  }

  /**
   * Whether the request matches. {@code pathEnd} is where the path proper ends (query or fragment start);
   * {@code random} is the request's one random value, shared with weighted cluster selection as in Envoy.
   */
  boolean matches(RequestInfo request, int pathEnd, long random) {
    return matchesPath(request.path(), pathEnd) && matchesRest(request, random);
  }

  private boolean matchesPath(String path, int pathEnd) {
    switch (kind) {
      case PREFIX:
        return Ascii.startsWith(path, literal, !caseSensitive);
      case EXACT:
        return pathEnd == literal.length() && Ascii.regionEquals(path, 0, literal, !caseSensitive);
      case SEPARATED_PREFIX:
        int n = literal.length();
        return (pathEnd == n || (pathEnd > n && path.charAt(n) == '/'))
            && Ascii.regionEquals(path, 0, literal, !caseSensitive);
      default:
        return regex != null && path.startsWith(literal)
            && regex.matches(pathEnd == path.length() ? path : path.substring(0, pathEnd));
    }
  }

  private boolean matchesRest(RequestInfo request, long random) {
    if (headers.length > 0 && !CompiledHeaderMatcher.allMatch(headers, request.headers())) {
      return false;
    }
    for (int i = 0; i < queryNames.length; i++) {
      String value = QueryStrings.firstValue(request.path(), queryNames[i], true);
      if (value == null) {
        return false;
      }
      CompiledStringMatcher matcher = queryValues[i];
      if (matcher != null && !matcher.matches(value)) {
        return false;
      }
    }
    if (runtimePerMillion >= 0 && Long.remainderUnsigned(random, Fraction.MILLION) >= runtimePerMillion) {
      return false;
    }
    return !grpc || request.isGrpc();
  }

  /** The decision for a request this route matched. */
  RouteDecision resolve(RequestInfo request, int pathEnd, long random, RandomGenerator rng) {
    RouteDecision decision = staticDecision;
    if (decision != null && (!staticUnlessGrpc || !request.isGrpc())
        && (!(decision instanceof RouteDecision.Forward) || !Timeouts.hasTimeoutHeaders(request.headers()))) {
      return decision;
    }
    return action.resolve(request, this, pathEnd, random, rng);
  }

  /**
   * The length of the request path's part the route matched, which {@code prefix_rewrite} replaces: the prefix for
   * prefix routes, the path without its query otherwise.
   */
  int matchedLength(int pathEnd) {
    return kind == PREFIX || kind == SEPARATED_PREFIX ? literal.length() : pathEnd;
  }
}
