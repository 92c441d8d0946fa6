package dev.inboard.mesh.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Envoy's {@code route.v3.HeaderMatcher}: one request (or response) header condition. The name is lower case, as
 * Envoy compares header names case-insensitively. The deprecated {@code exact_match}, {@code prefix_match},
 * {@code suffix_match}, {@code contains_match} and {@code safe_regex_match} fields arrive here as a
 * {@link Match.Value}; a matcher with no specifier is a presence check, as in Envoy.
 */
public record HeaderMatcher(String name, Match match, boolean invert, boolean treatMissingHeaderAsEmpty) {
  public HeaderMatcher {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header name must not be empty");
    }
    name = name.toLowerCase(Locale.ROOT);
  }

  /** How the header value is matched. */
  public sealed interface Match {

    /** The header is present and its value matches. */
    record Value(StringMatcher matcher) implements Match {
      public Value {
        Objects.requireNonNull(matcher, "matcher");
      }
    }

    /** The header is present ({@code true}) or absent ({@code false}). */
    record Present(boolean present) implements Match {}

    /** The value is a base-10 integer in {@code [start, end)}. */
    record Range(long start, long end) implements Match {}
  }
}
