package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.RouteConfig;

/** Parses a protojson {@code RouteConfiguration} into its record, for tests of the stages that consume it. */
public final class RouteConfigJson {
  private RouteConfigJson() {}

  /** The parsed route configuration; fails the test with the parser's error when it is invalid. */
  public static RouteConfig parse(String json) {
    ParseResult<RouteConfig> result =
        new RouteConfigurationParser().parse(LdsRdsProtoJson.routeConfigurationAny(json));
    if (result instanceof ParseResult.Valid<RouteConfig> valid) {
      return valid.resource();
    }
    throw new IllegalArgumentException("route configuration does not parse: " + result);
  }
}
