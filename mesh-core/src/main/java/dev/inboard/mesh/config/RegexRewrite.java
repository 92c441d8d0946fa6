package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * Envoy's {@code RegexMatchAndSubstitute}: replace every match of an RE2 pattern with a substitution that may refer
 * to capture groups ({@code \1}). The regex is kept as source text.
 */
public record RegexRewrite(String regex, String substitution) {
  public RegexRewrite {
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(substitution, "substitution");
  }
}
