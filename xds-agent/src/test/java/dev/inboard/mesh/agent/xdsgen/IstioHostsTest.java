package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IstioHostsTest {
  @Test
  void resolve_onlyDotlessNamesExpand() {
    assertThat(IstioHosts.resolve("reviews", "default", "cluster.local")).isEqualTo("reviews.default.svc.cluster.local");
    assertThat(IstioHosts.resolve("reviews.default", "shop", "cluster.local")).isEqualTo("reviews.default");
    assertThat(IstioHosts.resolve("*", "default", "cluster.local")).isEqualTo("*");
    assertThat(IstioHosts.resolve("10.0.0.1", "default", "cluster.local")).isEqualTo("10.0.0.1");
    assertThat(IstioHosts.resolve("fd00::1", "default", "cluster.local")).isEqualTo("fd00::1");
  }

  @Test
  void matches_wildcardsEitherSide() {
    assertThat(IstioHosts.matches("*.example.com", "api.example.com")).isTrue();
    assertThat(IstioHosts.matches("api.example.com", "*.example.com")).isTrue();
    assertThat(IstioHosts.matches("*.example.com", "example.com")).isFalse();
    assertThat(IstioHosts.matches("*", "anything")).isTrue();
    assertThat(IstioHosts.matches("*.com", "*.example.com")).isTrue();
    assertThat(IstioHosts.matches("a.com", "b.com")).isFalse();
  }

  @Test
  void mostSpecificMatch_exactThenLongestWildcard() {
    List<String> hosts = List.of("*", "*.svc.cluster.local", "*.default.svc.cluster.local", "reviews.default");
    assertThat(IstioHosts.mostSpecificMatch("ratings.default.svc.cluster.local", hosts))
        .hasValue("*.default.svc.cluster.local");
    assertThat(IstioHosts.mostSpecificMatch("reviews.default", hosts)).hasValue("reviews.default");
    assertThat(IstioHosts.mostSpecificMatch("example.com", hosts)).hasValue("*");
    assertThat(IstioHosts.mostSpecificMatch("example.com", List.of("a.com"))).isEmpty();
  }

  @Test
  void goDurations_goSyntaxAndProtobufJson() {
    assertThat(IstioDurations.parse("7s")).isEqualTo(Duration.ofSeconds(7));
    assertThat(IstioDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(IstioDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(IstioDurations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(IstioDurations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(IstioDurations.parse("0")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> IstioDurations.parse("5 seconds"))
        .hasMessage("'5 seconds' is not a duration (e.g. 7s, 1.5s, 100ms, 1h30m)");
    assertThatThrownBy(() -> IstioDurations.parse("10")).hasMessageStartingWith("'10' is not a duration");
  }
}
