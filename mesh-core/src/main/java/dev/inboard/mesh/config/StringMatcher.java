package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * Envoy's {@code type.matcher.v3.StringMatcher}: one way of matching a string. Regexes are kept as source text
 * (RE2 syntax, value equality) and compiled by the runtime layer.
 */
public sealed interface StringMatcher {

  boolean ignoreCase();

  record Exact(String value, boolean ignoreCase) implements StringMatcher {
    public Exact {
      Objects.requireNonNull(value, "value");
    }
  }

  record Prefix(String prefix, boolean ignoreCase) implements StringMatcher {
    public Prefix {
      Objects.requireNonNull(prefix, "prefix");
    }
  }

  record Suffix(String suffix, boolean ignoreCase) implements StringMatcher {
    public Suffix {
      Objects.requireNonNull(suffix, "suffix");
    }
  }

  record Contains(String substring, boolean ignoreCase) implements StringMatcher {
    public Contains {
      Objects.requireNonNull(substring, "substring");
    }
  }

  /** A full-string RE2 match. Envoy ignores {@code ignore_case} for regexes. */
  record Regex(String regex) implements StringMatcher {
    public Regex {
      Objects.requireNonNull(regex, "regex");
    }

    @Override
    public boolean ignoreCase() {
      return false;
    }
  }
}
