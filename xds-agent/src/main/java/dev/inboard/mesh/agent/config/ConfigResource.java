package dev.inboard.mesh.agent.config;

import java.util.Map;
import java.util.Objects;

/**
 * One Istio resource: identity, metadata, the spec in fabric8's model, and where it was read from.
 *
 * @param <S> fabric8's spec class for the kind (e.g. {@code io.fabric8.istio.api.api.networking.v1alpha3.VirtualService})
 */
public record ConfigResource<S>(
    ConfigKind kind,
    String apiVersion,
    String namespace,
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    S spec,
    Source source) {

  /** Where a resource came from: a file (or {@code -} / a name for input given inline) and its document index. */
  public record Source(String file, int document) {
    public Source {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
      return document == 0 ? file : file + " (document " + (document + 1) + ")";
    }
  }

  public ConfigResource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(source, "source");
  }

  /** {@code Kind/namespace/name}, unique within a {@link ConfigSet}. */
  public String key() {
    return kind.kind() + "/" + namespace + "/" + name;
  }

  /** {@code Kind namespace/name}, as problems and CLI output name a resource. */
  public String displayName() {
    return kind.kind() + " " + namespace + "/" + name;
  }
}
