package dev.inboard.mesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DownwardApiLabelsTest {

  @Test
  void kubernetesFormat_parsed() {
    String content =
        """
        app="istio-ingressgateway"
        chart="gateways"
        heritage="Tiller"
        istio="ingressgateway"
        pod-template-hash="54756dbcf9"
        """;

    assertThat(DownwardApiLabels.parse(content, "labels"))
        .containsExactly(
            Map.entry("app", "istio-ingressgateway"),
            Map.entry("chart", "gateways"),
            Map.entry("heritage", "Tiller"),
            Map.entry("istio", "ingressgateway"),
            Map.entry("pod-template-hash", "54756dbcf9"));
  }

  @Test
  void escapedValues_unquotedLikeGo() {
    String content = "config=\"foo: bar\\nother: setting\"\nweird=\"a=b\"\nquote=\"say \\\"hi\\\"\"\n";

    assertThat(DownwardApiLabels.parse(content, "labels"))
        .containsExactly(
            Map.entry("config", "foo: bar\nother: setting"),
            Map.entry("weird", "a=b"),
            Map.entry("quote", "say \"hi\""));
  }

  @Test
  void emptyContentAndLinesWithoutEquals_giveNothing() {
    assertThat(DownwardApiLabels.parse("", "labels")).isEmpty();
    assertThat(DownwardApiLabels.parse("just a line\n\n", "labels")).isEmpty();
  }

  @Test
  void unquote_goEscapes() {
    assertThat(DownwardApiLabels.unquote("\"tab\\there\"")).isEqualTo("tab\there");
    assertThat(DownwardApiLabels.unquote("\"\\u00e9t\\u00e9\"")).isEqualTo("été");
    assertThat(DownwardApiLabels.unquote("\"\\xc3\\xa9\"")).isEqualTo("é");
    assertThat(DownwardApiLabels.unquote("\"\\303\\251\"")).isEqualTo("é");
    assertThat(DownwardApiLabels.unquote("\"\\U0001F600\"")).isEqualTo("\uD83D\uDE00");
    assertThat(DownwardApiLabels.unquote("\"日本\"")).isEqualTo("日本");
  }

  @Test
  void unquote_badInput_isRejected() {
    assertThatThrownBy(() -> DownwardApiLabels.unquote("\"unterminated"))
        .hasMessage("is not a double-quoted string: \"unterminated");
    assertThatThrownBy(() -> DownwardApiLabels.unquote("\"bad \\q escape\""))
        .hasMessage("has an unknown escape \\q: \"bad \\q escape\"");
    assertThatThrownBy(() -> DownwardApiLabels.unquote("\"a\"b\"")).hasMessage("has an unescaped '\"': \"a\"b\"");
  }
}
