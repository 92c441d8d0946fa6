package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.config.ConfigKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CEL environment: every rule of the kinds the agent applies compiles, and the Kubernetes URL functions work. */
class CelRulesTest {
  private final CelRules rules = new CelRules();

  @Test
  void everyRuleOfAppliedKinds_inEveryVersion_compiles() {
    List<String> found = new ArrayList<>();
    for (ConfigKind kind : ConfigKind.values()) {
      for (String version : kind.versions()) {
        CrdSchemas.bundled().schema(kind.group(), kind.kind(), version).ifPresent(schema -> collect(schema, found));
      }
    }

    assertThat(found).hasSizeGreaterThan(100);
    found.forEach(CelRules::compile);
  }

  @Test
  void durationRule_acceptsGoDurations_rejectsShortAndMalformed() {
    String rule = "duration(self) >= duration('1ms')";

    assertThat(rules.evaluate(rule, "1h2m")).isInstanceOf(CelRules.Outcome.Holds.class);
    assertThat(rules.evaluate(rule, "0s")).isInstanceOf(CelRules.Outcome.Violated.class);
    assertThat(rules.evaluate(rule, "apple")).isEqualTo(new CelRules.Outcome.Failed("invalid duration format"));
  }

  @Test
  void urlFunctions_parseLikeARequestUri() {
    String rule = "url(self).getScheme() in ['http', 'https']";

    assertThat(rules.evaluate(rule, "https://issuer.example.com/jwks.json")).isInstanceOf(CelRules.Outcome.Holds.class);
    assertThat(rules.evaluate(rule, "ftp://files.example.com")).isInstanceOf(CelRules.Outcome.Violated.class);
    assertThat(rules.evaluate(rule, "issuer.example.com/jwks")).isEqualTo(new CelRules.Outcome.Failed(
        "URL parse error during conversion from string: invalid URI for request"));
    assertThat(rules.evaluate("url(self).getHostname() == 'a.example' && url(self).getPort() == '8443' "
        + "&& url(self).getEscapedPath() == '/k'", "https://a.example:8443/k")).isInstanceOf(CelRules.Outcome.Holds.class);
    assertThat(rules.evaluate("isURL(self)", "oci://registry/image:tag")).isInstanceOf(CelRules.Outcome.Holds.class);
    assertThat(rules.evaluate("isURL(self)", "registry/image")).isInstanceOf(CelRules.Outcome.Violated.class);
  }

  @Test
  void stringExtensionsAndMacros_areAvailable() {
    assertThat(rules.evaluate("self.startsWith('unix://') ? self.substring(7, 8) == '/' : true", "unix:///run/x.sock"))
        .isInstanceOf(CelRules.Outcome.Holds.class);
    assertThat(rules.evaluate("self.all(l1, self.exists_one(l2, l1.number == l2.number))",
        List.of(Map.of("number", 80L), Map.of("number", 80L)))).isInstanceOf(CelRules.Outcome.Violated.class);
  }

  @Test
  void transitionRules_areRecognized() {
    assertThat(CelRules.isTransitionRule("self.name == oldSelf.name")).isTrue();
    assertThat(CelRules.isTransitionRule("self.oldSelfish == 1")).isFalse();
  }

  private static void collect(JsonNode schema, List<String> out) {
    if (schema.isObject()) {
      for (JsonNode validation : schema.path("x-kubernetes-validations")) {
        out.add(validation.path("rule").asText());
      }
      schema.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("x-kubernetes-validations")) {
          collect(e.getValue(), out);
        }
      });
    } else if (schema.isArray()) {
      schema.forEach(item -> collect(item, out));
    }
  }
}
