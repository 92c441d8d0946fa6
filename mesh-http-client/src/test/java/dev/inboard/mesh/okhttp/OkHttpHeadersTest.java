package dev.inboard.mesh.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class OkHttpHeadersTest {
  private final OkHttpHeaders headers = new OkHttpHeaders(new Headers.Builder()
      .add("End-User", "jason").add("x-tag", "a").add("X-Tag", "b").build());

  @Test
  void first_nameInAnyCase_returnsTheFirstValue() {
    assertThat(headers.first("end-user")).isEqualTo("jason");
    assertThat(headers.first("x-tag")).isEqualTo("a");
    assertThat(headers.first("absent")).isNull();
  }

  @Test
  void allAndJoined_repeatedHeader_keepOrder() {
    assertThat(headers.all("x-tag")).containsExactly("a", "b");
    assertThat(headers.joined("x-tag")).isEqualTo("a,b");
    assertThat(headers.all("absent")).isEmpty();
    assertThat(headers.joined("absent")).isNull();
  }
}
