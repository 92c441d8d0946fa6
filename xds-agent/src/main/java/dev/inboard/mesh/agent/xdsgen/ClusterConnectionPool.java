package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsHTTPSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsTCPSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicyRetryBudget;
import io.envoyproxy.envoy.type.v3.Percent;
import java.time.Duration;
import java.util.Optional;

/**
 * A DestinationRule's {@code connectionPool} as istiod applies it: circuit breaker thresholds (istiod's defaults
 * are all 4294967295, not Envoy's), the connect timeout, TCP keepalive and the upstream HTTP options.
 */
final class ClusterConnectionPool {
  static final Duration MESH_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int UNLIMITED = -1; // 4294967295 as an unsigned 32-bit value
  private static final double DEFAULT_RETRY_BUDGET_PERCENT = 20.0;
  private static final long DEFAULT_MIN_RETRY_CONCURRENCY = 3;

  private ClusterConnectionPool() {}

  /** istiod's default thresholds: effectively unlimited, with remaining-capacity stats. */
  static CircuitBreakers.Thresholds.Builder defaultThresholds() {
    return CircuitBreakers.Thresholds.newBuilder()
        .setMaxConnections(UInt32Value.of(UNLIMITED))
        .setMaxPendingRequests(UInt32Value.of(UNLIMITED))
        .setMaxRequests(UInt32Value.of(UNLIMITED))
        .setMaxRetries(UInt32Value.of(UNLIMITED))
        .setTrackRemaining(true);
  }

  static void apply(ClusterDraft draft, Optional<ConnectionPoolSettings> settings) {
    CircuitBreakers.Thresholds.Builder threshold = defaultThresholds();
    ConnectionPoolSettingsHTTPSettings http = settings.map(ConnectionPoolSettings::getHttp).orElse(null);
    ConnectionPoolSettingsTCPSettings tcp = settings.map(ConnectionPoolSettings::getTcp).orElse(null);
    String idleTimeout = null;
    int maxRequestsPerConnection = 0;
    int maxConcurrentStreams = 0;
    String maxConnectionDuration = null;
    if (http != null) {
      if (positive(http.getHttp2MaxRequests())) {
        threshold.setMaxRequests(UInt32Value.of(http.getHttp2MaxRequests()));
      }
      if (positive(http.getHttp1MaxPendingRequests())) {
        threshold.setMaxPendingRequests(UInt32Value.of(http.getHttp1MaxPendingRequests()));
      }
      if (positive(http.getMaxRetries())) {
        threshold.setMaxRetries(UInt32Value.of(http.getMaxRetries()));
      }
      idleTimeout = http.getIdleTimeout();
      maxRequestsPerConnection = http.getMaxRequestsPerConnection() == null ? 0 : http.getMaxRequestsPerConnection();
      maxConcurrentStreams = http.getMaxConcurrentStreams() == null ? 0 : http.getMaxConcurrentStreams();
    }
    draft.cluster.setConnectTimeout(IstioDurations.toProto(MESH_CONNECT_TIMEOUT));
    if (tcp != null) {
      if (tcp.getConnectTimeout() != null) {
        draft.cluster.setConnectTimeout(IstioDurations.proto(tcp.getConnectTimeout()));
      }
      if (positive(tcp.getMaxConnections())) {
        threshold.setMaxConnections(UInt32Value.of(tcp.getMaxConnections()));
      }
      maxConnectionDuration = tcp.getMaxConnectionDuration();
      if (idleTimeout == null) {
        idleTimeout = tcp.getIdleTimeout();
      }
      keepalive(draft, tcp);
    }
    draft.cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(threshold));
    if (maxConnectionDuration != null || idleTimeout != null || maxRequestsPerConnection > 0
        || maxConcurrentStreams > 0) {
      HttpProtocolOptions.Builder common = draft.http().getCommonHttpProtocolOptionsBuilder();
      if (idleTimeout != null) {
        common.setIdleTimeout(IstioDurations.proto(idleTimeout));
      }
      if (maxRequestsPerConnection > 0) {
        common.setMaxRequestsPerConnection(UInt32Value.of(maxRequestsPerConnection));
      }
      if (maxConnectionDuration != null) {
        common.setMaxConnectionDuration(IstioDurations.proto(maxConnectionDuration));
      }
      if (draft.isHttp2() && maxConcurrentStreams > 0) {
        draft.http().getExplicitHttpConfigBuilder().getHttp2ProtocolOptionsBuilder()
            .setMaxConcurrentStreams(UInt32Value.of(maxConcurrentStreams));
      }
    }
    if (http != null && Boolean.TRUE.equals(http.getUseClientProtocol())) {
      draft.useDownstreamProtocol();
    }
  }

  /**
   * A rule's {@code retryBudget}: Envoy's retry budget on the default thresholds, istiod's defaults (20% of active
   * requests, at least 3 concurrent retries) for unset parts.
   */
  static void retryBudget(ClusterDraft draft, Optional<TrafficPolicyRetryBudget> budget) {
    if (budget.isEmpty()) {
      return;
    }
    double percent = budget.get().getPercent() == null ? DEFAULT_RETRY_BUDGET_PERCENT : budget.get().getPercent();
    long minConcurrency = budget.get().getMinRetryConcurrency() == null || budget.get().getMinRetryConcurrency() == 0
        ? DEFAULT_MIN_RETRY_CONCURRENCY : budget.get().getMinRetryConcurrency();
    draft.cluster.getCircuitBreakersBuilder().getThresholdsBuilder(0).setRetryBudget(
        CircuitBreakers.Thresholds.RetryBudget.newBuilder()
            .setBudgetPercent(Percent.newBuilder().setValue(percent))
            .setMinRetryConcurrency(UInt32Value.of((int) minConcurrency)));
  }

  /**
   * HTTP/2 upgrade of an outbound cluster: only when the rule asks for UPGRADE (the mesh default is
   * DO_NOT_UPGRADE).
   */
  static void h2Upgrade(ClusterDraft draft, Optional<ConnectionPoolSettings> settings) {
    boolean upgrade = settings.map(ConnectionPoolSettings::getHttp)
        .map(ConnectionPoolSettingsHTTPSettings::getH2UpgradePolicy)
        .filter(p -> p == ConnectionPoolSettingsHTTPSettingsH2UpgradePolicy.UPGRADE)
        .isPresent();
    if (upgrade) {
      draft.useHttp2();
    }
  }

  private static void keepalive(ClusterDraft draft, ConnectionPoolSettingsTCPSettings tcp) {
    var k = tcp.getTcpKeepalive();
    if (k == null) {
      return;
    }
    TcpKeepalive.Builder out = TcpKeepalive.newBuilder();
    if (k.getProbes() != null && k.getProbes() > 0) {
      out.setKeepaliveProbes(UInt32Value.of(k.getProbes().intValue()));
    }
    if (k.getTime() != null) {
      out.setKeepaliveTime(UInt32Value.of((int) IstioDurations.parse(k.getTime()).getSeconds()));
    }
    if (k.getInterval() != null) {
      out.setKeepaliveInterval(UInt32Value.of((int) IstioDurations.parse(k.getInterval()).getSeconds()));
    }
    draft.cluster.setUpstreamConnectionOptions(UpstreamConnectionOptions.newBuilder().setTcpKeepalive(out));
  }

  private static boolean positive(Integer i) {
    return i != null && i > 0;
  }
}
