package dev.inboard.mesh.config;

import java.util.Objects;

/** Where endpoints run, as Envoy's {@code core.v3.Locality}: region, zone and sub-zone, each possibly empty. */
public record Locality(String region, String zone, String subZone) {
  public static final Locality EMPTY = new Locality("", "", "");

  public Locality {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(subZone, "subZone");
  }
}
