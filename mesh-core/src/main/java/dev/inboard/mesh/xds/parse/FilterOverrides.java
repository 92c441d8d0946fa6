package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.FilterOverride;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code typed_per_filter_config} maps to {@link FilterOverride}s, keyed by HTTP filter name. */
final class FilterOverrides {
  static final String FILTER_CONFIG_TYPE_URL = TypedConfigs.typeUrl(FilterConfig.getDescriptor());

  private FilterOverrides() {}

  /** Converts a {@code typed_per_filter_config} map; errors name {@code typed_per_filter_config[key]}. */
  static Map<String, FilterOverride> map(Map<String, Any> configs) throws XdsValidationException {
    if (configs.isEmpty()) {
      return Map.of();
    }
    Map<String, FilterOverride> out = new LinkedHashMap<>();
    for (Map.Entry<String, Any> e : configs.entrySet()) {
      String key = e.getKey();
      Validation.check(!key.isEmpty(), "typed_per_filter_config", "filter names must not be empty");
      out.put(key, Validation.at(Validation.named("typed_per_filter_config", key), () -> override(e.getValue())));
    }
    return out;
  }

  private static FilterOverride override(Any any) throws XdsValidationException {
    if (FILTER_CONFIG_TYPE_URL.equals(any.getTypeUrl())) {
      FilterConfig wrapper = TypedConfigs.unpack(any, FilterConfig.class);
      if (wrapper.getDisabled()) {
        return new FilterOverride.Disabled();
      }
      Validation.check(wrapper.hasConfig(), "config", "must be set unless disabled is true");
      Validation.check(!FILTER_CONFIG_TYPE_URL.equals(wrapper.getConfig().getTypeUrl()), "config",
          "a FilterConfig must not wrap another FilterConfig");
      return Validation.at("config", () -> config(wrapper.getConfig(), wrapper.getIsOptional()));
    }
    return config(any, false);
  }

  private static FilterOverride config(Any any, boolean optional) throws XdsValidationException {
    String typeUrl = any.getTypeUrl();
    if (FaultParser.TYPE_URL.equals(typeUrl)) {
      return new FilterOverride.Fault(FaultParser.fault(TypedConfigs.unpack(any, HTTPFault.class)));
    }
    if (CorsParser.POLICY_TYPE_URL.equals(typeUrl)) {
      return new FilterOverride.Cors(CorsParser.cors(
          TypedConfigs.unpack(any, io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.class)));
    }
    return new FilterOverride.Opaque(TypedConfigs.effectiveTypeUrl(any), optional);
  }
}
