package dev.inboard.mesh.agent.analyze;

import com.google.common.net.InetAddresses;
import com.google.re2j.PatternSyntaxException;
import dev.inboard.mesh.agent.xdsgen.IstioDurations;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value formats istiod's validation enforces beyond the CRD schema: host names, IP addresses and CIDRs, ports,
 * label selectors, RE2 regexes, durations, HTTP header names, protocols. Each check returns the reason a
 * value is rejected, or empty.
 */
final class IstioFormats {
  static final int MAX_REGEX_LENGTH = 1024;

  private static final String LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile("^" + LABEL + "$");
  private static final Pattern WILDCARD_LABEL =
      Pattern.compile("^(?:\\*|(?:\\*|\\*-)?" + LABEL + ")$");
  private static final String QUALIFIED_NAME = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern LABEL_KEY = Pattern.compile(
      "^(" + LABEL + "(?:\\." + LABEL + ")*/)?(" + QUALIFIED_NAME + ")$");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(?:" + QUALIFIED_NAME + ")?$");
  private static final Pattern HEADER_NAME = Pattern.compile("^[-_A-Za-z0-9]+$");
  private static final Set<String> PROTOCOLS = Set.of("http", "https", "grpc", "grpc-web", "http2", "http_proxy",
      "tcp", "tls", "udp", "mongo", "redis", "mysql");

  private IstioFormats() {}

  /** A DNS-1123 label as Istio checks it (letters of either case, digits, inner dashes, at most 63). */
  static boolean isDns1123Label(String value) {
    return value.length() <= 63 && DNS1123_LABEL.matcher(value).matches();
  }

  /** A fully qualified domain name: DNS-1123 labels, a top-level domain that is not all digits. */
  static Optional<String> fqdnError(String domain) {
    return preconditions(domain).or(() -> labelsError(domain));
  }

  /** A domain name that may start with a wildcard label ({@code *}, {@code *.example.com}, {@code *-x.example.com}). */
  static Optional<String> wildcardDomainError(String domain) {
    Optional<String> pre = preconditions(domain);
    if (pre.isPresent()) {
      return pre;
    }
    int dot = domain.indexOf('.');
    String first = dot < 0 ? domain : domain.substring(0, dot);
    if (first.length() > 63 || !WILDCARD_LABEL.matcher(first).matches()) {
      return Optional.of("domain name \"" + domain + "\" invalid (label \"" + first + "\" invalid)");
    }
    return dot < 0 ? Optional.empty() : labelsError(domain.substring(dot + 1)).map(
        reason -> "domain name \"" + domain + "\" invalid (" + reason + ")");
  }

  private static Optional<String> preconditions(String domain) {
    if (domain.isEmpty()) {
      return Optional.of("empty domain name not allowed");
    }
    if (domain.length() > 255) {
      return Optional.of("domain name too long (max 255)");
    }
    return Optional.empty();
  }

  private static Optional<String> labelsError(String domain) {
    String[] parts = domain.split("\\.", -1);
    String top = parts[parts.length - 1];
    if (!top.isEmpty() && top.chars().allMatch(Character::isDigit)) {
      return Optional.of("top level domain \"" + top + "\" cannot be all-numeric");
    }
    for (int i = 0; i < parts.length; i++) {
      if (i == parts.length - 1 && parts[i].isEmpty()) {
        break;
      }
      if (!isDns1123Label(parts[i])) {
        return Optional.of("label \"" + parts[i] + "\" invalid");
      }
    }
    return Optional.empty();
  }

  static boolean isIp(String value) {
    return InetAddresses.isInetAddress(value) && !hasLeadingZeroOctet(value);
  }

  /** An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
  static Optional<String> ipOrCidrError(String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return isIp(value) ? Optional.empty() : Optional.of("not a valid IP address");
    }
    String address = value.substring(0, slash);
    String bits = value.substring(slash + 1);
    if (!isIp(address) || bits.isEmpty() || !bits.chars().allMatch(Character::isDigit) || bits.length() > 3) {
      return Optional.of("not a valid CIDR block");
    }
    int max = address.contains(":") ? 128 : 32;
    return Integer.parseInt(bits) <= max ? Optional.empty() : Optional.of("not a valid CIDR block");
  }

  private static boolean hasLeadingZeroOctet(String value) {
    if (value.contains(":")) {
      return false;
    }
    for (String octet : value.split("\\.")) {
      if (octet.length() > 1 && octet.startsWith("0")) {
        return true;
      }
    }
    return false;
  }

  static Optional<String> portError(long port) {
    return port >= 1 && port <= 65535 ? Optional.empty()
        : Optional.of("port number must be in the range 1..65535");
  }

  /** A label selector or label set entry: Kubernetes label key and value syntax. */
  static Optional<String> labelError(String key, String value) {
    Matcher k = LABEL_KEY.matcher(key);
    if (key.isEmpty() || !k.matches()) {
      return Optional.of("invalid label key \"" + key + "\"");
    }
    if (k.group(1) != null && k.group(1).length() - 1 > 253) {
      return Optional.of("invalid label key \"" + key + "\" (DNS prefix is too long)");
    }
    if (k.group(2).length() > 63) {
      return Optional.of("invalid label key \"" + key + "\" (name is longer than 63)");
    }
    if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
      return Optional.of("invalid label value \"" + value + "\"");
    }
    return Optional.empty();
  }

  /** An RE2 regex as Envoy accepts it, no longer than {@value #MAX_REGEX_LENGTH} characters. */
  static Optional<String> regexError(String regex) {
    if (regex.isEmpty()) {
      return Optional.of("regex must not be empty");
    }
    if (regex.length() > MAX_REGEX_LENGTH) {
      return Optional.of("regex is too large, max length allowed is " + MAX_REGEX_LENGTH);
    }
    try {
      com.google.re2j.Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of("invalid RE2 regex: " + e.getDescription()
          + "; Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax)");
    }
  }

  /**
   * A duration field as istiod reads it: Go syntax ({@code 10s}, {@code 0.5s}, {@code 1m30s}, {@code 100ms}, as
   * Istio's own task YAML writes {@code baseEjectionTime: 3m}), at least 1ms, whole milliseconds.
   */
  static Optional<String> durationError(String text) {
    Duration d;
    try {
      d = IstioDurations.parse(text);
    } catch (IllegalArgumentException e) {
      return Optional.of("not a duration; write it as a number with a unit, e.g. 10s, 0.25s, 1m30s or 100ms");
    }
    if (d.compareTo(Duration.ofMillis(1)) < 0) {
      return Optional.of("duration must be at least 1ms");
    }
    if (d.getNano() % 1_000_000 != 0) {
      return Optional.of("only durations to ms precision are supported");
    }
    return Optional.empty();
  }

  static Optional<String> headerNameError(String name) {
    if (name.isEmpty()) {
      return Optional.of("header name cannot be empty");
    }
    return HEADER_NAME.matcher(name).matches() ? Optional.empty()
        : Optional.of("not a valid header name (letters, digits, '-' and '_')");
  }

  /** A port protocol Istio understands; empty means "detect". */
  static boolean isKnownProtocol(String protocol) {
    return protocol.isEmpty() || PROTOCOLS.contains(protocol.toLowerCase(Locale.ROOT));
  }

  static boolean isHttpProtocol(String protocol) {
    String p = protocol.toLowerCase(Locale.ROOT);
    return p.equals("http") || p.equals("http2") || p.equals("grpc") || p.equals("grpc-web")
        || p.equals("http_proxy");
  }

  static boolean isTlsProtocol(String protocol) {
    String p = protocol.toLowerCase(Locale.ROOT);
    return p.equals("https") || p.equals("tls");
  }
}
