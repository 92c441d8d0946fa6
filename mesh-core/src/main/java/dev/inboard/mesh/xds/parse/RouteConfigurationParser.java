package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.RouteConfig;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/**
 * RDS: {@code envoy.config.route.v3.RouteConfiguration} to {@link RouteConfig}, validated like Envoy (unique and
 * well-formed domains, RE2 regexes, positive weight totals, known redirect codes, non-negative durations, an action
 * on every route).
 */
public final class RouteConfigurationParser extends ResourceParser<RouteConfiguration, RouteConfig> {
  public static final String TYPE_URL = TypedConfigs.typeUrl(RouteConfiguration.getDescriptor());

  public RouteConfigurationParser() {
    super("RouteConfiguration", RouteConfiguration.class, TYPE_URL);
  }

  @Override
  protected String nameOf(RouteConfiguration message) {
    return message.getName();
  }

  @Override
  protected RouteConfig validate(RouteConfiguration message) throws XdsValidationException {
    Validation.check(!message.getName().isEmpty(), "name", "must not be empty");
    return RouteConfigurations.routeConfig(message);
  }
}
