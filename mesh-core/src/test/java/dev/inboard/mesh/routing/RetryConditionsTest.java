package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.routing.RetryConditions.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryConditionsTest {
  static final Outcome CONNECT = new Outcome.ConnectFailure();
  static final Outcome REFUSED = new Outcome.RefusedStream();
  static final Outcome RESET = new Outcome.Reset(false);
  static final Outcome RESET_EARLY = new Outcome.Reset(true);
  static final Outcome PER_TRY = new Outcome.PerTryTimeout();

  @Test
  void fiveXx_retriesEveryServerErrorAndNoResponse_notClientErrors() {
    RetryPolicy p = policy("5xx");
    assertThat(RetryConditions.retriable(p, status(500))).isTrue();
    assertThat(RetryConditions.retriable(p, status(503))).isTrue();
    assertThat(RetryConditions.retriable(p, CONNECT)).isTrue();
    assertThat(RetryConditions.retriable(p, REFUSED)).isTrue();
    assertThat(RetryConditions.retriable(p, RESET)).isTrue();
    assertThat(RetryConditions.retriable(p, PER_TRY)).isTrue();
    assertThat(RetryConditions.retriable(p, status(404))).isFalse();
    assertThat(RetryConditions.retriable(p, status(200))).isFalse();
  }

  @Test
  void gatewayError_only502to504_includingPerTryTimeout() {
    RetryPolicy p = policy("gateway-error");
    assertThat(RetryConditions.retriable(p, status(502))).isTrue();
    assertThat(RetryConditions.retriable(p, status(504))).isTrue();
    assertThat(RetryConditions.retriable(p, PER_TRY)).isTrue();
    assertThat(RetryConditions.retriable(p, status(500))).isFalse();
    assertThat(RetryConditions.retriable(p, CONNECT)).isFalse();
  }

  @Test
  void istiodsDefault_connectFailureRefusedStreamAndGrpcUnavailable_butNotA503() {
    RetryPolicy p = policy("connect-failure", "refused-stream", "unavailable", "cancelled",
        "retriable-status-codes");
    assertThat(RetryConditions.retriable(p, CONNECT)).isTrue();
    assertThat(RetryConditions.retriable(p, REFUSED)).isTrue();
    assertThat(RetryConditions.retriable(p, grpc(14))).isTrue();
    assertThat(RetryConditions.retriable(p, grpc(1))).isTrue();
    assertThat(RetryConditions.retriable(p, grpc(13))).isFalse();
    assertThat(RetryConditions.retriable(p, status(503))).isFalse();
    assertThat(RetryConditions.retriable(p, RESET)).isFalse();
  }

  @Test
  void resetVariants_retriable4xx_andStatusCodes() {
    assertThat(RetryConditions.retriable(policy("reset"), RESET)).isTrue();
    assertThat(RetryConditions.retriable(policy("reset-before-request"), RESET_EARLY)).isTrue();
    assertThat(RetryConditions.retriable(policy("reset-before-request"), RESET)).isFalse();
    assertThat(RetryConditions.retriable(policy("retriable-4xx"), status(409))).isTrue();
    assertThat(RetryConditions.retriable(policy("retriable-4xx"), status(400))).isFalse();
    RetryPolicy codes = new RetryPolicy(Set.of("retriable-status-codes"), 2, Optional.empty(), Optional.empty(),
        Duration.ofMillis(25), Duration.ofMillis(250), List.of(418), 0, List.of(), Optional.empty(), List.of(),
        List.of());
    assertThat(RetryConditions.retriable(codes, status(418))).isTrue();
    assertThat(RetryConditions.retriable(codes, status(500))).isFalse();
  }

  @Test
  void retriableHeaders_matchTheResponsesHeaders() {
    RetryPolicy p = new RetryPolicy(Set.of("retriable-headers"), 2, Optional.empty(), Optional.empty(),
        Duration.ofMillis(25), Duration.ofMillis(250), List.of(), 0, List.of(), Optional.empty(),
        List.of(new HeaderMatcher("x-upstream-retry",
            new HeaderMatcher.Match.Value(new StringMatcher.Exact("yes", false)), false, false)), List.of());
    assertThat(RetryConditions.retriable(p, new Outcome.Response(200,
        Headers.single(Map.of("x-upstream-retry", "yes"))))).isTrue();
    assertThat(RetryConditions.retriable(p, status(200))).isFalse();
    assertThat(RetryConditions.retriable(p, CONNECT)).isFalse();
  }

  private static Outcome status(int status) {
    return new Outcome.Response(status, Headers.EMPTY);
  }

  private static Outcome grpc(int code) {
    return new Outcome.Response(200, Headers.single(Map.of("grpc-status", String.valueOf(code))));
  }

  private static RetryPolicy policy(String... retryOn) {
    return new RetryPolicy(Set.of(retryOn), 2, Optional.empty(), Optional.empty(), Duration.ofMillis(25),
        Duration.ofMillis(250), List.of(), 0, List.of(), Optional.empty(), List.of(), List.of());
  }
}
