package dev.inboard.mesh.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundHeadersTest {

  @Test
  void lookup_isCaseInsensitive_multiValued_inOrder() {
    InboundHeaders headers = InboundHeaders.builder()
        .add("End-User", "jason")
        .add("Accept", "text/html")
        .add("accept", "application/json")
        .build();

    assertThat(headers.first("end-user")).isEqualTo("jason");
    assertThat(headers.first("END-USER")).isEqualTo("jason");
    assertThat(headers.all("ACCEPT")).containsExactly("text/html", "application/json");
    assertThat(headers.joined("accept")).isEqualTo("text/html,application/json");
    assertThat(headers.names()).containsExactly("end-user", "accept");
    assertThat(headers.first("missing")).isNull();
    assertThat(headers.all("missing")).isEmpty();
  }

  @Test
  void fromMap_mergesNamesDifferingInCase_andIsImmutable() {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("X-Trace", List.of("a"));
    map.put("x-trace", List.of("b"));
    InboundHeaders headers = InboundHeaders.of(map);

    assertThat(headers.all("x-trace")).containsExactly("a", "b");
    assertThat(headers).isEqualTo(InboundHeaders.builder().add("x-trace", "a").add("X-TRACE", "b").build());
    assertThatThrownBy(() -> headers.asMap().put("y", List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.all("x-trace").add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void set_replacesEveryValue() {
    InboundHeaders headers = InboundHeaders.builder().add("a", "1").add("A", "2").set("a", "3").build();
    assertThat(headers.all("a")).containsExactly("3");
  }

  @Test
  void response_statusMustBeAnHttpStatus() {
    assertThatThrownBy(() -> InboundResponse.text(99, "x")).hasMessage("status 99 must be in 100-599");
    assertThat(InboundResponse.rbacDenied().bodyBytes()).hasSize(19);
  }
}
