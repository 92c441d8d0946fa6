package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShadowAuthorityTest {
  @Test
  void shadowSuffix_goesOnTheHost_beforeAnyPort() {
    assertThat(ShadowAuthority.of("reviews")).isEqualTo("reviews-shadow");
    assertThat(ShadowAuthority.of("reviews.default:9080")).isEqualTo("reviews.default-shadow:9080");
    assertThat(ShadowAuthority.of("[2001:db8::1]:80")).isEqualTo("[2001:db8::1]-shadow:80");
    assertThat(ShadowAuthority.of("2001:db8::1")).isEqualTo("2001:db8::1-shadow");
  }
}
