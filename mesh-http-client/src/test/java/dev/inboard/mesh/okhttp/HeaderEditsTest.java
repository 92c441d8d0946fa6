package dev.inboard.mesh.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.HeaderMutation.AppendAction;
import dev.inboard.mesh.config.HeaderMutation.HeaderValue;
import java.util.List;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class HeaderEditsTest {
  private final Headers base = Headers.of("x-a", "1", "x-b", "2", "X-Drop", "3");

  private static HeaderMutation add(String key, String value, AppendAction action) {
    return new HeaderMutation(List.of(new HeaderValue(key, value, action, false)), List.of());
  }

  @Test
  void apply_removeThenAdd_inOrder() {
    Headers out = HeaderEdits.apply(base, List.of(
        new HeaderMutation(List.of(new HeaderValue("x-new", "n", AppendAction.APPEND_IF_EXISTS_OR_ADD, false)),
            List.of("x-drop")),
        add("x-a", "again", AppendAction.APPEND_IF_EXISTS_OR_ADD)));
    assertThat(out.values("x-a")).containsExactly("1", "again");
    assertThat(out.get("x-drop")).isNull();
    assertThat(out.get("x-new")).isEqualTo("n");
  }

  @Test
  void apply_appendActions_asEnvoyDefinesThem() {
    assertThat(HeaderEdits.apply(base, List.of(add("x-a", "9", AppendAction.ADD_IF_ABSENT))).values("x-a"))
        .containsExactly("1");
    assertThat(HeaderEdits.apply(base, List.of(add("x-c", "9", AppendAction.ADD_IF_ABSENT))).values("x-c"))
        .containsExactly("9");
    assertThat(HeaderEdits.apply(base, List.of(add("x-a", "9", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD)))
        .values("x-a")).containsExactly("9");
    assertThat(HeaderEdits.apply(base, List.of(add("x-c", "9", AppendAction.OVERWRITE_IF_EXISTS))).get("x-c"))
        .isNull();
    assertThat(HeaderEdits.apply(base, List.of(add("x-b", "9", AppendAction.OVERWRITE_IF_EXISTS))).values("x-b"))
        .containsExactly("9");
  }

  @Test
  void apply_emptyValueWithoutKeepEmpty_isSkipped() {
    assertThat(HeaderEdits.apply(base, List.of(add("x-e", "", AppendAction.APPEND_IF_EXISTS_OR_ADD))).get("x-e"))
        .isNull();
  }
}
