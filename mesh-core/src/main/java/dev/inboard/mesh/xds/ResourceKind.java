package dev.inboard.mesh.xds;

import dev.inboard.mesh.xds.parse.ResourceParser;
import java.util.Objects;

/**
 * One xDS resource type as the client handles it.
 *
 * @param kind the name users read in errors and dumps ({@code Listener}, {@code Cluster}, ...)
 * @param typeUrl the v3 type URL
 * @param fullStateInSotw whether a state-of-the-world response lists every resource of the type (LDS, CDS), so
 *     that a resource missing from it has been removed
 * @param parser converts one resource to its record
 */
public record ResourceKind<T>(String kind, String typeUrl, boolean fullStateInSotw, ResourceParser<?, T> parser) {
  public ResourceKind {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(typeUrl, "typeUrl");
    Objects.requireNonNull(parser, "parser");
  }

  @Override
  public String toString() {
    return kind;
  }
}
