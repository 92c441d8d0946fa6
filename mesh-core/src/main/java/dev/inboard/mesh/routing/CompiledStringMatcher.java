package dev.inboard.mesh.routing;

import com.google.re2j.Pattern;
import dev.inboard.mesh.config.StringMatcher;
import org.jspecify.annotations.Nullable;

/** A {@link StringMatcher} ready to run: regexes compiled once with RE2/J, case folding ASCII-only as in Envoy. */
final class CompiledStringMatcher {
  private static final int EXACT = 0;
  private static final int PREFIX = 1;
  private static final int SUFFIX = 2;
  private static final int CONTAINS = 3;
  private static final int REGEX = 4;

  private final int kind;
  private final String literal;
  private final boolean ignoreCase;
  private final @Nullable Pattern pattern;

  private CompiledStringMatcher(int kind, String literal, boolean ignoreCase, @Nullable Pattern pattern) {
    this.kind = kind;
    this.literal = literal;
    this.ignoreCase = ignoreCase;
    this.pattern = pattern;
  }

  static CompiledStringMatcher of(StringMatcher matcher) {
    if (matcher instanceof StringMatcher.Exact e) {
      return new CompiledStringMatcher(EXACT, e.value(), e.ignoreCase(), null);
    } else if (matcher instanceof StringMatcher.Prefix p) {
      return new CompiledStringMatcher(PREFIX, p.prefix(), p.ignoreCase(), null);
    } else if (matcher instanceof StringMatcher.Suffix s) {
      return new CompiledStringMatcher(SUFFIX, s.suffix(), s.ignoreCase(), null);
    } else if (matcher instanceof StringMatcher.Contains c) {
      return new CompiledStringMatcher(CONTAINS, c.substring(), c.ignoreCase(), null);
    }
    StringMatcher.Regex r = (StringMatcher.Regex) matcher;
    return new CompiledStringMatcher(REGEX, "", false, Pattern.compile(r.regex()));
  }

  boolean matches(String value) {
    switch (kind) {
      case EXACT:
        return Ascii.equals(value, literal, ignoreCase);
      case PREFIX:
        return Ascii.startsWith(value, literal, ignoreCase);
      case SUFFIX:
        return Ascii.endsWith(value, literal, ignoreCase);
      case CONTAINS:
        return Ascii.contains(value, literal, ignoreCase);
      default:
        return pattern != null && pattern.matches(value);
    }
  }
}
