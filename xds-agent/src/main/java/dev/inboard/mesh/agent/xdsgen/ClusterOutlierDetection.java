package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.type.v3.Percent;

/**
 * A DestinationRule's {@code outlierDetection} as istiod writes it: success-rate ejection off, each configured
 * consecutive-error detector enforced at 100%, and the panic threshold set to {@code minHealthPercent} (0 unless
 * set, which disables Envoy's panic mode).
 */
final class ClusterOutlierDetection {
  private ClusterOutlierDetection() {}

  static void apply(ClusterDraft draft, io.fabric8.istio.api.api.networking.v1alpha3.OutlierDetection outlier) {
    OutlierDetection.Builder out = OutlierDetection.newBuilder().setEnforcingSuccessRate(UInt32Value.of(0));
    if (outlier.getConsecutive5xxErrors() != null) {
      int v = outlier.getConsecutive5xxErrors();
      out.setConsecutive5Xx(UInt32Value.of(v)).setEnforcingConsecutive5Xx(UInt32Value.of(v > 0 ? 100 : 0));
    }
    if (outlier.getConsecutiveGatewayErrors() != null) {
      int v = outlier.getConsecutiveGatewayErrors();
      out.setConsecutiveGatewayFailure(UInt32Value.of(v))
          .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(v > 0 ? 100 : 0));
    }
    if (outlier.getInterval() != null) {
      out.setInterval(IstioDurations.proto(outlier.getInterval()));
    }
    if (outlier.getBaseEjectionTime() != null) {
      out.setBaseEjectionTime(IstioDurations.proto(outlier.getBaseEjectionTime()));
    }
    if (outlier.getMaxEjectionPercent() != null && outlier.getMaxEjectionPercent() > 0) {
      out.setMaxEjectionPercent(UInt32Value.of(outlier.getMaxEjectionPercent()));
    }
    if (Boolean.TRUE.equals(outlier.getSplitExternalLocalOriginErrors())) {
      out.setSplitExternalLocalOriginErrors(true);
      if (outlier.getConsecutiveLocalOriginFailures() != null && outlier.getConsecutiveLocalOriginFailures() > 0) {
        out.setConsecutiveLocalOriginFailure(UInt32Value.of(outlier.getConsecutiveLocalOriginFailures()))
            .setEnforcingConsecutiveLocalOriginFailure(UInt32Value.of(100));
      }
      out.setEnforcingLocalOriginSuccessRate(UInt32Value.of(0));
    }
    draft.cluster.setOutlierDetection(out);
    int minHealth = outlier.getMinHealthPercent() == null ? 0 : outlier.getMinHealthPercent();
    if (minHealth >= 0) {
      draft.cluster.getCommonLbConfigBuilder().setHealthyPanicThreshold(Percent.newBuilder().setValue(minHealth));
    }
  }
}
