package dev.inboard.mesh.routing;

import com.google.re2j.Pattern;
import dev.inboard.mesh.config.RegexRewrite;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's path rewrites. {@code prefix_rewrite} replaces what the route matched (the prefix of a prefix route, the
 * whole path without its query for exact and regex routes) and keeps the rest, query included. A regex rewrite
 * substitutes every match in the path without its query and keeps the query.
 */
final class PathRewriter {
  private final @Nullable String prefix;
  private final @Nullable Pattern regex;
  private final String substitution;

  private PathRewriter(@Nullable String prefix, @Nullable Pattern regex, String substitution) {
    this.prefix = prefix;
    this.regex = regex;
    this.substitution = substitution;
  }

  static PathRewriter prefix(String prefix) {
    return new PathRewriter(prefix, null, "");
  }

  static PathRewriter regex(RegexRewrite rewrite) {
    return new PathRewriter(null, Pattern.compile(rewrite.regex()), RegexSubstitution.toRe2j(rewrite.substitution()));
  }

  String rewrite(String path, CompiledRoute route, int pathEnd) {
    if (prefix != null) {
      return prefix + path.substring(route.matchedLength(pathEnd));
    }
    return substitute(path, pathEnd) + path.substring(pathEnd);
  }

  /** The regex substitution applied to the path without its query. */
  String substitute(String path, int pathEnd) {
    if (regex == null) {
      throw new IllegalStateException("not a regex rewrite");
    }
    return regex.matcher(path.substring(0, pathEnd)).replaceAll(substitution);
  }
}
