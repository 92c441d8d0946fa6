package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.HttpFilterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What routing takes from the connection manager that owns the route table.
 *
 * @param faultFilter the fault filter of the filter chain (its name keys per-route overrides, its config is the
 *     default); absent: the chain has none and no fault is ever injected
 * @param maxStreamDuration the connection manager's max stream duration, for routes that set none
 */
public record RoutingOptions(Optional<HttpFilterConfig.Fault> faultFilter, Optional<Duration> maxStreamDuration) {
  /** Envoy's fault filter name, as Istio configures it. */
  public static final String FAULT_FILTER_NAME = "envoy.filters.http.fault";

  /** Istio's sidecar chain: a fault filter with no default fault (routes bring theirs), no stream limit. */
  public static final RoutingOptions ISTIO_DEFAULT = new RoutingOptions(
      Optional.of(new HttpFilterConfig.Fault(FAULT_FILTER_NAME, FaultConfig.NONE, false)), Optional.empty());

  public RoutingOptions {
    Objects.requireNonNull(faultFilter, "faultFilter");
    Objects.requireNonNull(maxStreamDuration, "maxStreamDuration");
  }

  /** The options of a connection manager: its first fault filter and its max stream duration. */
  public static RoutingOptions from(HttpConnectionManagerConfig hcm) {
    Optional<HttpFilterConfig.Fault> fault = hcm.httpFilters().stream()
        .filter(HttpFilterConfig.Fault.class::isInstance)
        .map(HttpFilterConfig.Fault.class::cast)
        .findFirst();
    return new RoutingOptions(fault, hcm.maxStreamDuration());
  }
}
