package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.StringMatcher;
import java.util.ArrayList;
import java.util.List;

/** {@code route.v3.HeaderMatcher} to {@link HeaderMatcher}, shared by routes, retries and fault injection. */
final class HeaderMatchers {
  private HeaderMatchers() {}

  /** Converts {@code field}, a repeated header matcher field; errors name {@code field[i]}. */
  static List<HeaderMatcher> list(String field, List<io.envoyproxy.envoy.config.route.v3.HeaderMatcher> matchers)
      throws XdsValidationException {
    List<HeaderMatcher> out = new ArrayList<>(matchers.size());
    for (int i = 0; i < matchers.size(); i++) {
      io.envoyproxy.envoy.config.route.v3.HeaderMatcher m = matchers.get(i);
      out.add(Validation.at(Validation.indexed(field, i), () -> convert(m)));
    }
    return out;
  }

  @SuppressWarnings("deprecation") // the legacy *_match fields are still sent by older control planes
  static HeaderMatcher convert(io.envoyproxy.envoy.config.route.v3.HeaderMatcher m) throws XdsValidationException {
    Validation.check(!m.getName().isEmpty(), "name", "must not be empty");
    HeaderMatcher.Match match = switch (m.getHeaderMatchSpecifierCase()) {
      case EXACT_MATCH -> value(new StringMatcher.Exact(m.getExactMatch(), false));
      case SAFE_REGEX_MATCH ->
          value(new StringMatcher.Regex(Validation.at("safe_regex_match", () -> CommonProtos.regex(m.getSafeRegexMatch()))));
      case PREFIX_MATCH -> {
        Validation.check(!m.getPrefixMatch().isEmpty(), "prefix_match", "must not be empty");
        yield value(new StringMatcher.Prefix(m.getPrefixMatch(), false));
      }
      case SUFFIX_MATCH -> {
        Validation.check(!m.getSuffixMatch().isEmpty(), "suffix_match", "must not be empty");
        yield value(new StringMatcher.Suffix(m.getSuffixMatch(), false));
      }
      case CONTAINS_MATCH -> {
        Validation.check(!m.getContainsMatch().isEmpty(), "contains_match", "must not be empty");
        yield value(new StringMatcher.Contains(m.getContainsMatch(), false));
      }
      case STRING_MATCH -> value(Validation.at("string_match", () -> CommonProtos.stringMatcher(m.getStringMatch())));
      case RANGE_MATCH -> new HeaderMatcher.Match.Range(m.getRangeMatch().getStart(), m.getRangeMatch().getEnd());
      case PRESENT_MATCH -> new HeaderMatcher.Match.Present(m.getPresentMatch());
      // No specifier: Envoy matches on presence.
      case HEADERMATCHSPECIFIER_NOT_SET -> new HeaderMatcher.Match.Present(true);
    };
    return new HeaderMatcher(m.getName(), match, m.getInvertMatch(), m.getTreatMissingHeaderAsEmpty());
  }

  private static HeaderMatcher.Match value(StringMatcher matcher) {
    return new HeaderMatcher.Match.Value(matcher);
  }
}
