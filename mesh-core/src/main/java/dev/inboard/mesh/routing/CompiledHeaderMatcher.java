package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.HeaderMatcher;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HeaderMatcher} ready to run, with Envoy's semantics: a header present more than once is matched as its
 * values joined by {@code ","}; an absent header fails every value or range match, inverted or not, unless
 * {@code treat_missing_header_as_empty}, in which case the empty string is matched (and the result inverted);
 * {@code present_match} checks presence and is inverted by {@code invert}; a range match needs a base-10 integer in
 * {@code [start, end)}.
 */
final class CompiledHeaderMatcher {
  private final String name;
  private final HeaderMatcher.Match match;
  private final @Nullable CompiledStringMatcher value;
  private final boolean invert;
  private final boolean treatMissingAsEmpty;

  CompiledHeaderMatcher(HeaderMatcher matcher) {
    this.name = matcher.name();
    this.match = matcher.match();
    this.value = match instanceof HeaderMatcher.Match.Value v ? CompiledStringMatcher.of(v.matcher()) : null;
    this.invert = matcher.invert();
    this.treatMissingAsEmpty = matcher.treatMissingHeaderAsEmpty();
  }

  boolean matches(Headers headers) {
    if (match instanceof HeaderMatcher.Match.Present present) {
      boolean isPresent = headers.first(name) != null;
      return (isPresent == present.present()) != invert;
    }
    String joined = headers.joined(name);
    if (joined == null) {
      if (!treatMissingAsEmpty) {
        return false;
      }
      joined = "";
    }
    return specificMatch(joined) != invert;
  }

  private boolean specificMatch(String headerValue) {
    if (value != null) {
      return value.matches(headerValue);
    }
    HeaderMatcher.Match.Range range = (HeaderMatcher.Match.Range) match;
    long parsed;
    try {
      parsed = Long.parseLong(headerValue.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    return parsed >= range.start() && parsed < range.end();
  }

  static boolean allMatch(CompiledHeaderMatcher[] matchers, Headers headers) {
    for (CompiledHeaderMatcher m : matchers) {
      if (!m.matches(headers)) {
        return false;
      }
    }
    return true;
  }
}
