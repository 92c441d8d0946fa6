package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IstioFormatsTest {
  @Test
  void durationError_requiresAtLeastOneMillisecondInWholeMilliseconds() {
    assertThat(IstioFormats.durationError("0.001s")).isEmpty();
    assertThat(IstioFormats.durationError("0s")).contains("duration must be at least 1ms");
    assertThat(IstioFormats.durationError("1.0005s")).contains("only durations to ms precision are supported");
  }

  @Test
  void durationError_acceptsGoSyntaxAsIstiodDoes() {
    assertThat(IstioFormats.durationError("3m")).isEmpty();
    assertThat(IstioFormats.durationError("1m30s")).isEmpty();
    assertThat(IstioFormats.durationError("100ms")).isEmpty();
    assertThat(IstioFormats.durationError("1h")).isEmpty();
    assertThat(IstioFormats.durationError("3 minutes"))
        .contains("not a duration; write it as a number with a unit, e.g. 10s, 0.25s, 1m30s or 100ms");
    assertThat(IstioFormats.durationError("-1s")).contains("duration must be at least 1ms");
    assertThat(IstioFormats.durationError("315576000001s")).contains("not a duration; write it as a number with a unit, "
        + "e.g. 10s, 0.25s, 1m30s or 100ms");
  }

  @Test
  void domains_wildcardOnlyInTheFirstLabel_noNumericTopLevelDomain() {
    assertThat(IstioFormats.wildcardDomainError("*.example.com")).isEmpty();
    assertThat(IstioFormats.wildcardDomainError("*-canary.example.com")).isEmpty();
    assertThat(IstioFormats.wildcardDomainError("reviews")).isEmpty();
    assertThat(IstioFormats.wildcardDomainError("a.*.example.com"))
        .contains("domain name \"a.*.example.com\" invalid (label \"*\" invalid)");
    assertThat(IstioFormats.fqdnError("*.example.com")).contains("label \"*\" invalid");
    assertThat(IstioFormats.fqdnError("host.123")).contains("top level domain \"123\" cannot be all-numeric");
    assertThat(IstioFormats.fqdnError("istio.io.")).isEmpty();
  }

  @Test
  void ipsAndCidrs_parseStrictly() {
    assertThat(IstioFormats.ipOrCidrError("10.1.2.3")).isEmpty();
    assertThat(IstioFormats.ipOrCidrError("2001:db8::/32")).isEmpty();
    assertThat(IstioFormats.ipOrCidrError("010.1.2.3")).contains("not a valid IP address");
    assertThat(IstioFormats.ipOrCidrError("10.0.0.0/33")).contains("not a valid CIDR block");
    assertThat(IstioFormats.ipOrCidrError("example.com")).contains("not a valid IP address");
  }

  @Test
  void labels_followKubernetesSyntax() {
    assertThat(IstioFormats.labelError("app.kubernetes.io/name", "reviews")).isEmpty();
    assertThat(IstioFormats.labelError("version", "")).isEmpty();
    assertThat(IstioFormats.labelError("-app", "x")).contains("invalid label key \"-app\"");
    assertThat(IstioFormats.labelError("app", "a".repeat(64))).isEqualTo(Optional.of("invalid label value \""
        + "a".repeat(64) + "\""));
  }

  @Test
  void regexes_areRe2AndBounded() {
    assertThat(IstioFormats.regexError("^/api/v[0-9]+/.*$")).isEmpty();
    assertThat(IstioFormats.regexError("(a)\\1")).contains("invalid RE2 regex: invalid escape sequence; Istio uses "
        + "RE2 syntax (https://github.com/google/re2/wiki/Syntax)");
    assertThat(IstioFormats.regexError("a".repeat(1025))).contains("regex is too large, max length allowed is 1024");
  }
}
