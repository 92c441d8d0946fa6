package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.util.Iterator;
import java.util.Map;

/**
 * Fields that Istio's schema accepts but the spec model the agent serves from does not carry: the loader keeps
 * them aside as "additional properties" and every generator would ignore them. Ignoring a field silently can
 * change meaning (an ALLOW rule without its {@code trustDomains} allows more), so such fields are reported.
 */
final class ModelCoverage {
  /** Writes a spec model back to JSON without what the model only kept aside. */
  private static final ObjectMapper MODEL_ONLY = new ObjectMapper().setAnnotationIntrospector(
      new JacksonAnnotationIntrospector() {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean hasAnyGetter(Annotated a) {
          return Boolean.FALSE;
        }
      });

  private ModelCoverage() {}

  /** Reports every field of {@code written} (a spec as written) that {@code model} (the loaded spec) lacks. */
  static void check(JsonNode written, Object model, Findings out) {
    compare(written, MODEL_ONLY.valueToTree(model), "spec", out);
  }

  private static boolean hasContent(JsonNode value) {
    if (value.isContainerNode()) {
      for (JsonNode child : value) {
        if (hasContent(child)) {
          return true;
        }
      }
      return false;
    }
    return !value.isNull();
  }

  private static void compare(JsonNode written, JsonNode carried, String path, Findings out) {
    if (written.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!hasContent(field.getValue())) {
          continue; // null, or empty lists and maps: the model may leave them out without losing anything
        }
        JsonNode counterpart = carried.get(field.getKey());
        String at = path + "." + field.getKey();
        if (counterpart == null || counterpart.isNull()) {
          out.add(at, field.getValue(), "valid Istio, but not supported by this agent (its Istio model "
              + "does not carry this field) and would be ignored; remove it");
        } else {
          compare(field.getValue(), counterpart, at, out);
        }
      }
    } else if (written.isArray() && carried.isArray()) {
      for (int i = 0; i < written.size() && i < carried.size(); i++) {
        compare(written.get(i), carried.get(i), path + "[" + i + "]", out);
      }
    }
  }
}
