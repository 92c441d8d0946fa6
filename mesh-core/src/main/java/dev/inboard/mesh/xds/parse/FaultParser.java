package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.Fraction;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;
import java.util.Optional;

/** {@code envoy.extensions.filters.http.fault.v3.HTTPFault} to {@link FaultConfig}. */
final class FaultParser {
  static final String TYPE_URL = TypedConfigs.typeUrl(HTTPFault.getDescriptor());

  private FaultParser() {}

  static FaultConfig fault(HTTPFault f) throws XdsValidationException {
    Optional<FaultConfig.Delay> delay = Optional.empty();
    if (f.hasDelay()) {
      delay = Optional.of(Validation.at("delay", () -> delay(f.getDelay())));
    }
    Optional<FaultConfig.Abort> abort = Optional.empty();
    if (f.hasAbort()) {
      abort = Optional.of(Validation.at("abort", () -> abort(f.getAbort())));
    }
    Validation.check(!f.hasResponseRateLimit(), "response_rate_limit", "not supported");
    Optional<Integer> maxActiveFaults = f.hasMaxActiveFaults()
        ? Optional.of((int) Math.min(Integer.toUnsignedLong(f.getMaxActiveFaults().getValue()), Integer.MAX_VALUE))
        : Optional.empty();
    return new FaultConfig(delay, abort, maxActiveFaults, HeaderMatchers.list("headers", f.getHeadersList()),
        f.getDownstreamNodesList(),
        f.getUpstreamCluster().isEmpty() ? Optional.empty() : Optional.of(f.getUpstreamCluster()));
  }

  private static FaultConfig.Delay delay(FaultDelay d) throws XdsValidationException {
    Fraction percentage = percentage(d.hasPercentage(), d.getPercentage());
    return switch (d.getFaultDelaySecifierCase()) {
      case FIXED_DELAY -> {
        Duration fixed = Validation.at("fixed_delay", () -> CommonProtos.duration(d.getFixedDelay()));
        Validation.check(!fixed.isZero(), "fixed_delay", "must be > 0, was 0s");
        yield new FaultConfig.Delay.Fixed(fixed, percentage);
      }
      case HEADER_DELAY -> new FaultConfig.Delay.FromHeader(percentage);
      case FAULTDELAYSECIFIER_NOT_SET -> throw XdsValidationException.of("fixed_delay or header_delay must be set");
    };
  }

  private static FaultConfig.Abort abort(FaultAbort a) throws XdsValidationException {
    Fraction percentage = percentage(a.hasPercentage(), a.getPercentage());
    return switch (a.getErrorTypeCase()) {
      case HTTP_STATUS -> {
        int status = a.getHttpStatus();
        Validation.check(status >= 200 && status < 600, "http_status",
            "must be in [200, 600), was " + Integer.toUnsignedString(status));
        yield new FaultConfig.Abort.HttpStatus(status, percentage);
      }
      case GRPC_STATUS -> {
        Validation.check(a.getGrpcStatus() >= 0, "grpc_status",
            "must fit an int, was " + Integer.toUnsignedString(a.getGrpcStatus()));
        yield new FaultConfig.Abort.GrpcStatus(a.getGrpcStatus(), percentage);
      }
      case HEADER_ABORT -> new FaultConfig.Abort.FromHeader(percentage);
      case ERRORTYPE_NOT_SET -> throw XdsValidationException.of("http_status, grpc_status or header_abort must be set");
    };
  }

  /** Envoy reads an unset percentage as 0%. */
  private static Fraction percentage(boolean present, FractionalPercent p) throws XdsValidationException {
    return present ? Validation.at("percentage", () -> CommonProtos.fraction(p)) : Fraction.NONE;
  }
}
