package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigKind;
import org.junit.jupiter.api.Test;

class CrdSchemasTest {
  @Test
  void everyAppliedIstioKindAndVersion_hasABundledSchemaWithSpec() {
    for (ConfigKind kind : ConfigKind.values()) {
      if (kind == ConfigKind.KUBERNETES_SERVICE) {
        continue;
      }
      for (String version : kind.versions()) {
        assertThat(CrdSchemas.bundled().schema(kind.group(), kind.kind(), version))
            .as("%s %s", kind, version)
            .hasValueSatisfying(schema -> assertThat(schema.path("properties").path("spec").path("type").asText())
                .isEqualTo("object"));
      }
    }
  }

  @Test
  void unknownKindOrVersion_hasNoSchema() {
    assertThat(CrdSchemas.bundled().schema("networking.istio.io", "VirtualService", "v2")).isEmpty();
    assertThat(CrdSchemas.bundled().schema("networking.istio.io", "Route", "v1")).isEmpty();
  }
}
