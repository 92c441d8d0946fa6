package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.HttpFilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection manager's {@code http_filters} to {@link HttpFilterConfig}s. Like Envoy, the list must end with the
 * router and nothing may follow the router. Filters are recognised by their config's type URL; a filter without a
 * config is the router only when it carries the router's well-known name.
 */
final class HttpFilterParser {
  static final String ROUTER_TYPE_URL = TypedConfigs.typeUrl(Router.getDescriptor());
  static final String ROUTER_NAME = "envoy.filters.http.router";

  private HttpFilterParser() {}

  @SuppressWarnings("deprecation") // start_child_span is deprecated in favour of tracing.spawn_upstream_span
  static List<HttpFilterConfig> httpFilters(List<HttpFilter> filters) throws XdsValidationException {
    Validation.check(!filters.isEmpty(), "http_filters", "must not be empty; the router filter must come last");
    List<HttpFilterConfig> out = new ArrayList<>(filters.size());
    for (int i = 0; i < filters.size(); i++) {
      HttpFilter f = filters.get(i);
      String segment = f.getName().isEmpty()
          ? Validation.indexed("http_filters", i) : Validation.named("http_filters", f.getName());
      HttpFilterConfig filter = Validation.at(segment, () -> filter(f));
      boolean last = i == filters.size() - 1;
      if (filter instanceof HttpFilterConfig.Router && !last) {
        throw new XdsValidationException(segment, "the router must be the last http filter, but "
            + (filters.size() - 1 - i) + " filter(s) follow it, starting with '" + filters.get(i + 1).getName() + "'");
      }
      if (last && !(filter instanceof HttpFilterConfig.Router)) {
        throw new XdsValidationException(segment, "the last http filter must be the router ("
            + ROUTER_TYPE_URL + "), was '" + f.getName() + "'");
      }
      out.add(filter);
    }
    return out;
  }

  @SuppressWarnings("deprecation")
  private static HttpFilterConfig filter(HttpFilter f) throws XdsValidationException {
    Validation.check(!f.getName().isEmpty(), "name", "must not be empty");
    switch (f.getConfigTypeCase()) {
      case TYPED_CONFIG -> {
        Any config = f.getTypedConfig();
        if (ROUTER_TYPE_URL.equals(config.getTypeUrl())) {
          Validation.check(!f.getDisabled(), "disabled", "the router cannot be disabled");
          Router router = Validation.at("typed_config", () -> TypedConfigs.unpack(config, Router.class));
          return new HttpFilterConfig.Router(f.getName(), router.getStartChildSpan(), router.getSuppressEnvoyHeaders());
        }
        if (FaultParser.TYPE_URL.equals(config.getTypeUrl())) {
          return new HttpFilterConfig.Fault(f.getName(), Validation.at("typed_config",
              () -> FaultParser.fault(TypedConfigs.unpack(config, HTTPFault.class))), f.getDisabled());
        }
        String typeUrl = Validation.at("typed_config", () -> TypedConfigs.effectiveTypeUrl(config));
        return new HttpFilterConfig.Opaque(f.getName(), typeUrl, f.getIsOptional(), f.getDisabled());
      }
      case CONFIG_DISCOVERY -> {
        List<String> typeUrls = f.getConfigDiscovery().getTypeUrlsList();
        return new HttpFilterConfig.Opaque(f.getName(), typeUrls.isEmpty() ? "" : typeUrls.get(0),
            f.getIsOptional(), f.getDisabled());
      }
      case CONFIGTYPE_NOT_SET -> {
        if (ROUTER_NAME.equals(f.getName())) {
          Validation.check(!f.getDisabled(), "disabled", "the router cannot be disabled");
          return new HttpFilterConfig.Router(f.getName(), false, false);
        }
        return new HttpFilterConfig.Opaque(f.getName(), "", f.getIsOptional(), f.getDisabled());
      }
      default -> throw new IllegalStateException("unknown config type " + f.getConfigTypeCase());
    }
  }
}
