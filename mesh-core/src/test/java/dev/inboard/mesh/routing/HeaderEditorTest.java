package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.HeaderMutation.AppendAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderEditorTest {
  final Map<String, List<String>> headers = new LinkedHashMap<>();
  final HeaderEditor.Target target = new HeaderEditor.Target() {
    @Override
    public boolean contains(String name) {
      return headers.containsKey(name);
    }

    @Override
    public void removeAll(String name) {
      headers.remove(name);
    }

    @Override
    public void add(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
  };

  @Test
  void appendActions_removeThenAdd_emptyAndFormatterValuesSkipped_literalPercentKept() {
    headers.put("x-a", new ArrayList<>(List.of("1")));
    headers.put("x-b", new ArrayList<>(List.of("1")));
    headers.put("x-gone", new ArrayList<>(List.of("1")));
    HeaderMutation m = new HeaderMutation(List.of(
        value("x-a", "2", AppendAction.APPEND_IF_EXISTS_OR_ADD),
        value("x-b", "2", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD),
        value("x-c", "3", AppendAction.OVERWRITE_IF_EXISTS),
        value("x-d", "4", AppendAction.ADD_IF_ABSENT),
        value("x-a", "no", AppendAction.ADD_IF_ABSENT),
        value("x-empty", "", AppendAction.APPEND_IF_EXISTS_OR_ADD),
        value("x-client", "%DOWNSTREAM_REMOTE_ADDRESS%", AppendAction.APPEND_IF_EXISTS_OR_ADD),
        value("x-share", "50%", AppendAction.APPEND_IF_EXISTS_OR_ADD)), List.of("x-gone"));

    HeaderEditor.apply(List.of(m), target);

    assertThat(headers).containsExactly(
        Map.entry("x-a", List.of("1", "2")),
        Map.entry("x-b", List.of("2")),
        Map.entry("x-d", List.of("4")),
        Map.entry("x-share", List.of("50%")));
  }

  @Test
  void routerHeaders_areRemoved() {
    headers.put("x-envoy-upstream-rq-timeout-ms", List.of("100"));
    headers.put("x-keep", List.of("1"));

    HeaderEditor.removeRouterHeaders(target);

    assertThat(headers).containsOnlyKeys("x-keep");
  }

  private static HeaderMutation.HeaderValue value(String key, String value, AppendAction action) {
    return new HeaderMutation.HeaderValue(key, value, action, false);
  }
}
