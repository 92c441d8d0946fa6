package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.fabric8.istio.api.api.networking.v1alpha3.CorsPolicyUnmatchedPreflights;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjection;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortGrpcStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionAbortHttpStatus;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionDelay;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPFaultInjectionDelayFixedDelay;
import io.fabric8.istio.api.api.networking.v1alpha3.Percent;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The per-route configs of the fault and CORS filters ({@code typed_per_filter_config}), and the percentages istiod
 * writes: a {@code Percent} (a double) in parts per million, a deprecated integer percent in hundredths.
 */
final class PerFilterConfigs {
  static final String FAULT_FILTER = "envoy.filters.http.fault";
  static final String CORS_FILTER = "envoy.filters.http.cors";

  private static final Map<String, Integer> GRPC_CODES = Map.ofEntries(
      Map.entry("OK", 0), Map.entry("CANCELLED", 1), Map.entry("UNKNOWN", 2), Map.entry("INVALID_ARGUMENT", 3),
      Map.entry("DEADLINE_EXCEEDED", 4), Map.entry("NOT_FOUND", 5), Map.entry("ALREADY_EXISTS", 6),
      Map.entry("PERMISSION_DENIED", 7), Map.entry("RESOURCE_EXHAUSTED", 8), Map.entry("FAILED_PRECONDITION", 9),
      Map.entry("ABORTED", 10), Map.entry("OUT_OF_RANGE", 11), Map.entry("UNIMPLEMENTED", 12),
      Map.entry("INTERNAL", 13), Map.entry("UNAVAILABLE", 14), Map.entry("DATA_LOSS", 15),
      Map.entry("UNAUTHENTICATED", 16));

  private PerFilterConfigs() {}

  /** {@code percentage.value} in parts per million (truncated, as istiod converts). */
  static FractionalPercent perMillion(Percent p) {
    double value = p.getValue() == null ? 0 : p.getValue();
    return FractionalPercent.newBuilder()
        .setNumerator((int) (long) (value * 10_000))
        .setDenominator(FractionalPercent.DenominatorType.MILLION)
        .build();
  }

  /** A whole percent in hundredths. */
  static FractionalPercent hundredths(int percent) {
    return FractionalPercent.newBuilder()
        .setNumerator(percent)
        .setDenominator(FractionalPercent.DenominatorType.HUNDRED)
        .build();
  }

  /**
   * The route's fault: a fixed delay and/or an HTTP or gRPC abort. Exponential delays and unknown gRPC codes are
   * left out with a note; with neither part left the config is empty (no fault), as istiod sends it.
   */
  static HTTPFault fault(HTTPFaultInjection in, Consumer<String> notes) {
    HTTPFault.Builder out = HTTPFault.newBuilder();
    HTTPFaultInjectionDelay delay = in.getDelay();
    if (delay != null) {
      if (delay.getHttpDelayType() instanceof HTTPFaultInjectionDelayFixedDelay fixed
          && fixed.getFixedDelay() != null) {
        FractionalPercent percentage = delay.getPercentage() != null
            ? perMillion(delay.getPercentage())
            : hundredths(delay.getPercent() == null ? 0 : delay.getPercent());
        out.setDelay(FaultDelay.newBuilder()
            .setFixedDelay(IstioDurations.proto(fixed.getFixedDelay()))
            .setPercentage(percentage));
      } else {
        notes.accept("fault.delay: only fixedDelay is supported; the delay is left out");
      }
    }
    HTTPFaultInjectionAbort abort = in.getAbort();
    if (abort != null) {
      FaultAbort.Builder a = FaultAbort.newBuilder();
      if (abort.getPercentage() != null) {
        a.setPercentage(perMillion(abort.getPercentage()));
      }
      if (abort.getErrorType() instanceof HTTPFaultInjectionAbortHttpStatus http && http.getHttpStatus() != null) {
        out.setAbort(a.setHttpStatus(http.getHttpStatus()));
      } else if (abort.getErrorType() instanceof HTTPFaultInjectionAbortGrpcStatus grpc
          && GRPC_CODES.containsKey(grpc.getGrpcStatus())) {
        out.setAbort(a.setGrpcStatus(GRPC_CODES.get(grpc.getGrpcStatus())));
      } else {
        notes.accept("fault.abort: only httpStatus and known grpcStatus codes are supported; the abort is left out");
      }
    }
    return out.build();
  }

  /** The route's CORS policy, enabled for every request; unmatched preflights are forwarded unless IGNORE. */
  @SuppressWarnings("deprecation") // allowOrigin is deprecated in the Istio API but still honoured
  static CorsPolicy cors(io.fabric8.istio.api.api.networking.v1alpha3.CorsPolicy in) {
    CorsPolicy.Builder out = CorsPolicy.newBuilder()
        .setForwardNotMatchingPreflights(BoolValue.of(in.getUnmatchedPreflights() != CorsPolicyUnmatchedPreflights.IGNORE));
    if (in.getAllowOrigins() != null && !in.getAllowOrigins().isEmpty()) {
      for (StringMatch origin : in.getAllowOrigins()) {
        RouteMatches.stringMatcherOf(origin).ifPresent(out::addAllowOriginStringMatch);
      }
    } else if (in.getAllowOrigin() != null) {
      for (String origin : in.getAllowOrigin()) {
        out.addAllowOriginStringMatch(StringMatcher.newBuilder().setExact(origin));
      }
    }
    out.setFilterEnabled(RuntimeFractionalPercent.newBuilder().setDefaultValue(hundredths(100)));
    if (in.getAllowCredentials() != null) {
      out.setAllowCredentials(BoolValue.of(in.getAllowCredentials()));
    }
    out.setAllowHeaders(join(in.getAllowHeaders()));
    out.setAllowMethods(join(in.getAllowMethods()));
    out.setExposeHeaders(join(in.getExposeHeaders()));
    if (in.getMaxAge() != null && !in.getMaxAge().isEmpty()) {
      out.setMaxAge(Long.toString(IstioDurations.parse(in.getMaxAge()).getSeconds()));
    }
    return out.build();
  }

  private static String join(@Nullable List<String> values) {
    return values == null ? "" : String.join(",", values);
  }
}
