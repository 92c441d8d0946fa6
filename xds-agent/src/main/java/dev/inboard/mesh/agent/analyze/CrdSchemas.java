package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Istio's CustomResourceDefinitions (bundled from istio/api): the OpenAPI v3 schema of every kind and version,
 * CEL rules included, read once.
 */
final class CrdSchemas {
  static final String RESOURCE = "/istio/crds/customresourcedefinitions.gen.yaml";

  private static final class Holder {
    static final CrdSchemas BUNDLED = load();
  }

  private final Map<String, JsonNode> schemas;

  private CrdSchemas(Map<String, JsonNode> schemas) {
    this.schemas = Map.copyOf(schemas);
  }

  static CrdSchemas bundled() {
    return Holder.BUNDLED;
  }

  /** The {@code openAPIV3Schema} of a kind in one version (the whole object: {@code spec}, {@code status}). */
  Optional<JsonNode> schema(String group, String kind, String version) {
    return Optional.ofNullable(schemas.get(key(group, kind, version)));
  }

  private static String key(String group, String kind, String version) {
    return group + "/" + version + "/" + kind;
  }

  private static CrdSchemas load() {
    Map<String, JsonNode> schemas = new HashMap<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (InputStream in = CrdSchemas.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      try (JsonParser parser = yaml.getFactory().createParser(in);
           MappingIterator<JsonNode> docs = yaml.readValues(parser, JsonNode.class)) {
        while (docs.hasNextValue()) {
          JsonNode crd = docs.nextValue();
          JsonNode spec = crd.path("spec");
          String group = spec.path("group").asText();
          String kind = spec.path("names").path("kind").asText();
          for (JsonNode version : spec.path("versions")) {
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (schema.isObject()) {
              schemas.put(key(group, kind, version.path("name").asText()), schema);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new CrdSchemas(schemas);
  }
}
