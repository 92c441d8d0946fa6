package dev.inboard.mesh.xds.parse;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.config.StringMatcher;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions of Envoy's common protos, shared by every resource parser. */
public final class CommonProtos {
  private CommonProtos() {}

  public static StringMatcher stringMatcher(io.envoyproxy.envoy.type.matcher.v3.StringMatcher m)
      throws XdsValidationException {
    boolean ignoreCase = m.getIgnoreCase();
    return switch (m.getMatchPatternCase()) {
      case EXACT -> new StringMatcher.Exact(m.getExact(), ignoreCase);
      case PREFIX -> {
        Validation.check(!m.getPrefix().isEmpty(), "prefix", "must not be empty");
        yield new StringMatcher.Prefix(m.getPrefix(), ignoreCase);
      }
      case SUFFIX -> {
        Validation.check(!m.getSuffix().isEmpty(), "suffix", "must not be empty");
        yield new StringMatcher.Suffix(m.getSuffix(), ignoreCase);
      }
      case CONTAINS -> {
        Validation.check(!m.getContains().isEmpty(), "contains", "must not be empty");
        yield new StringMatcher.Contains(m.getContains(), ignoreCase);
      }
      case SAFE_REGEX -> new StringMatcher.Regex(Validation.at("safe_regex", () -> regex(m.getSafeRegex())));
      case CUSTOM -> throw new XdsValidationException("custom", "custom string matchers are not supported");
      case MATCHPATTERN_NOT_SET -> throw XdsValidationException.of("match_pattern is not set");
    };
  }

  /** Validates an RE2 regex and returns its source text. */
  public static String regex(RegexMatcher m) throws XdsValidationException {
    return regex(m.getRegex());
  }

  /** Validates an RE2 regex and returns its source text. */
  public static String regex(String regex) throws XdsValidationException {
    try {
      Pattern.compile(regex);
      return regex;
    } catch (PatternSyntaxException e) {
      throw new XdsValidationException("regex", "invalid RE2 regex '" + regex + "': " + e.getDescription());
    }
  }

  public static Fraction fraction(FractionalPercent p) throws XdsValidationException {
    long numerator = Integer.toUnsignedLong(p.getNumerator());
    long perMillion = switch (p.getDenominator()) {
      case HUNDRED -> numerator * 10_000L;
      case TEN_THOUSAND -> numerator * 100L;
      case MILLION -> numerator;
      case UNRECOGNIZED -> throw new XdsValidationException("denominator", "unknown value " + p.getDenominatorValue());
    };
    return new Fraction((int) Math.min(perMillion, Fraction.MILLION));
  }

  public static Fraction percent(io.envoyproxy.envoy.type.v3.Percent p) throws XdsValidationException {
    Validation.check(p.getValue() >= 0 && p.getValue() <= 100, "value", "must be in [0, 100], was " + p.getValue());
    return Fraction.ofPercent(p.getValue());
  }

  public static Duration duration(com.google.protobuf.Duration d) throws XdsValidationException {
    Validation.check(d.getSeconds() >= 0 && d.getNanos() >= 0, "", "must not be negative, was " + d.getSeconds()
        + "s " + d.getNanos() + "ns");
    Validation.check(d.getNanos() < 1_000_000_000, "nanos", "must be < 1e9, was " + d.getNanos());
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  public static SocketAddress socketAddress(Address address) throws XdsValidationException {
    Validation.check(address.hasSocketAddress(), "", "only socket_address is supported, was " + address.getAddressCase());
    io.envoyproxy.envoy.config.core.v3.SocketAddress sa = address.getSocketAddress();
    Validation.check(!sa.getAddress().isEmpty(), "socket_address.address", "must not be empty");
    Validation.check(sa.hasPortValue() || sa.getPortSpecifierCase()
            == io.envoyproxy.envoy.config.core.v3.SocketAddress.PortSpecifierCase.PORTSPECIFIER_NOT_SET,
        "socket_address.named_port", "named ports are not supported, was '" + sa.getNamedPort() + "'");
    Validation.check(sa.getPortValue() <= 65535, "socket_address.port_value",
        "must be <= 65535, was " + sa.getPortValue());
    return new SocketAddress(sa.getAddress(), sa.getPortValue());
  }

  public static Metadata metadata(io.envoyproxy.envoy.config.core.v3.Metadata m) {
    if (m.getFilterMetadataCount() == 0) {
      return Metadata.EMPTY;
    }
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    m.getFilterMetadataMap().forEach((filter, struct) -> out.put(filter, struct(struct)));
    return new Metadata(out);
  }

  public static Map<String, Object> struct(Struct s) {
    Map<String, Object> out = new LinkedHashMap<>();
    s.getFieldsMap().forEach((k, v) -> {
      Object converted = value(v);
      if (converted != null) {
        out.put(k, converted);
      }
    });
    return Map.copyOf(out);
  }

  private static Object value(Value v) {
    return switch (v.getKindCase()) {
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> v.getNumberValue();
      case BOOL_VALUE -> v.getBoolValue();
      case STRUCT_VALUE -> struct(v.getStructValue());
      case LIST_VALUE -> list(v.getListValue());
      case NULL_VALUE, KIND_NOT_SET -> null;
    };
  }

  private static List<Object> list(ListValue l) {
    List<Object> out = new ArrayList<>(l.getValuesCount());
    for (Value v : l.getValuesList()) {
      Object converted = value(v);
      if (converted != null) {
        out.add(converted);
      }
    }
    return List.copyOf(out);
  }
}
