package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * One entry of a connection manager's {@code http_filters}, in order. The router is always last. Filters a later
 * stage interprets (RBAC, JWT, CORS, gRPC stats, Istio's metadata exchange and stats...) stay {@link Opaque}.
 */
public sealed interface HttpFilterConfig {

  /** The filter's name, the key of per-route {@code typed_per_filter_config} entries. */
  String name();

  /** {@code envoy.extensions.filters.http.router.v3.Router}: the terminal filter. */
  record Router(String name, boolean startChildSpan, boolean suppressEnvoyHeaders) implements HttpFilterConfig {
    public Router {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * {@code envoy.extensions.filters.http.fault.v3.HTTPFault}: the filter-level default fault (Istio's is empty; the
   * real faults come per route).
   *
   * @param disabled the filter runs only where a route enables it
   */
  record Fault(String name, FaultConfig config, boolean disabled) implements HttpFilterConfig {
    public Fault {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(config, "config");
    }
  }

  /**
   * A filter not interpreted here.
   *
   * @param typeUrl the config's type URL, the one a {@code TypedStruct} carries, or the first of
   *     {@code config_discovery.type_urls} for a filter configured over ECDS; empty without any config
   * @param optional the filter may be skipped by a data plane that does not know it
   * @param disabled the filter runs only where a route enables it
   */
  record Opaque(String name, String typeUrl, boolean optional, boolean disabled) implements HttpFilterConfig {
    public Opaque {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(typeUrl, "typeUrl");
    }
  }
}
