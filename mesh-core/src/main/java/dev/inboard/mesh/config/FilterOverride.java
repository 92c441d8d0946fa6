package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * One value of a {@code typed_per_filter_config} map (route configuration, virtual host, route or weighted
 * cluster), keyed by the HTTP filter's name. Configs a later stage interprets (RBAC per route, JWT per route,
 * stateful session...) stay {@link Opaque}.
 */
public sealed interface FilterOverride {

  /** A per-route fault injection policy ({@code HTTPFault}). */
  record Fault(FaultConfig config) implements FilterOverride {
    public Fault {
      Objects.requireNonNull(config, "config");
    }
  }

  /** A per-route CORS policy ({@code envoy.extensions.filters.http.cors.v3.CorsPolicy}). */
  record Cors(CorsPolicy policy) implements FilterOverride {
    public Cors {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** {@code envoy.config.route.v3.FilterConfig{disabled: true}}: the filter does not run for this scope. */
  record Disabled() implements FilterOverride {}

  /**
   * A config not interpreted here. {@code typeUrl} is that of the config, or of the message a {@code TypedStruct}
   * carries.
   */
  record Opaque(String typeUrl, boolean optional) implements FilterOverride {
    public Opaque {
      Objects.requireNonNull(typeUrl, "typeUrl");
    }
  }
}
