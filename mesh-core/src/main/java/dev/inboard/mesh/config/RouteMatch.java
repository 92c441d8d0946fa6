package dev.inboard.mesh.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's {@code route.v3.RouteMatch}: every condition must hold for the route to be chosen.
 *
 * @param caseSensitive applies to prefix, exact and path-separated-prefix matching (not regexes); true when unset
 * @param runtimeFraction the {@code runtime_fraction} default value: the share of otherwise matching requests the
 *     route takes; absent means all
 * @param grpc only requests with a gRPC content type match
 */
public record RouteMatch(
    PathMatcher path,
    boolean caseSensitive,
    List<HeaderMatcher> headers,
    List<QueryParameterMatcher> queryParameters,
    Optional<Fraction> runtimeFraction,
    boolean grpc) {

  public RouteMatch {
    Objects.requireNonNull(path, "path");
    headers = List.copyOf(headers);
    queryParameters = List.copyOf(queryParameters);
    Objects.requireNonNull(runtimeFraction, "runtimeFraction");
  }

  /** The {@code path_specifier} oneof, matched against {@code :path} without its query string. */
  public sealed interface PathMatcher {

    /** The path starts with {@code prefix}. */
    record Prefix(String prefix) implements PathMatcher {
      public Prefix {
        Objects.requireNonNull(prefix, "prefix");
      }
    }

    /** The path equals {@code path}. */
    record Exact(String path) implements PathMatcher {
      public Exact {
        Objects.requireNonNull(path, "path");
      }
    }

    /** The whole path matches an RE2 regex (kept as source text). */
    record Regex(String regex) implements PathMatcher {
      public Regex {
        Objects.requireNonNull(regex, "regex");
      }
    }

    /** The path equals {@code prefix} or starts with {@code prefix + "/"}. */
    record PathSeparatedPrefix(String prefix) implements PathMatcher {
      public PathSeparatedPrefix {
        Objects.requireNonNull(prefix, "prefix");
      }
    }
  }

  /**
   * A query parameter condition on the parameter's first value. Without a {@code value} matcher the parameter only
   * has to be present (Envoy's {@code present_match}).
   */
  public record QueryParameterMatcher(String name, Optional<StringMatcher> value) {
    public QueryParameterMatcher {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
