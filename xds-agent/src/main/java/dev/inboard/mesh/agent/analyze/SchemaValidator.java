package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a document against the OpenAPI v3 schema of its CRD the way the Kubernetes API server does (types,
 * {@code required}, {@code enum}, bounds, lengths, RE2 patterns, {@code oneOf}/{@code anyOf}/{@code allOf}/
 * {@code not}, list types, CEL rules), except that unknown fields are errors (as {@code istioctl validate} has
 * them) instead of being pruned silently.
 */
final class SchemaValidator {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final CelRules rules;

  SchemaValidator(CelRules rules) {
    this.rules = rules;
  }

  /** Problems of {@code document} under {@code schema} (a CRD's {@code openAPIV3Schema}); only {@code spec} is read. */
  List<FieldProblem> validateDocument(JsonNode schema, JsonNode document) {
    List<FieldProblem> out = new ArrayList<>();
    for (JsonNode required : schema.path("required")) {
      JsonNode present = document.get(required.asText());
      if (present == null || present.isNull()) {
        out.add(new FieldProblem(required.asText(), "", "required"));
      }
    }
    JsonNode spec = document.get("spec");
    if (spec != null && !spec.isNull()) {
      validate(schema.path("properties").path("spec"), spec, "spec", out, true);
    }
    return out;
  }

  /**
   * Validates one value; {@code strict} adds the checks that only apply to the schema proper (unknown fields,
   * CEL rules), not to the branches of {@code oneOf}/{@code anyOf}/{@code not} matched against it.
   */
  private void validate(JsonNode schema, JsonNode value, String path, List<FieldProblem> out, boolean strict) {
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
        out.add(FieldProblem.at(path, value, "must be of type " + schema.path("type").asText() + ", was null"));
      }
      return;
    }
    if (!typeMatches(schema, value, path, out)) {
      return; // like the API server, no further checks (CEL rules included) on a value of the wrong type
    }
    checkFormat(schema, value, path, out);
    checkEnum(schema, value, path, out);
    if (value.isTextual()) {
      checkString(schema, value, path, out);
    } else if (value.isNumber()) {
      checkNumber(schema, value, path, out);
    } else if (value.isArray()) {
      checkArray(schema, value, path, out, strict);
    } else if (value.isObject()) {
      checkObject(schema, value, path, out, strict);
    }
    checkCompositions(schema, value, path, out, strict);
    if (strict) {
      checkRules(schema, value, path, out);
    }
  }

  private static boolean typeMatches(JsonNode schema, JsonNode value, String path, List<FieldProblem> out) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (value.isIntegralNumber() || value.isTextual()) {
        return true;
      }
      out.add(FieldProblem.at(path, value, "must be an integer or a string, was " + typeOf(value)));
      return false;
    }
    String type = schema.path("type").asText("");
    boolean matches = switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber()
          || value.isNumber() && value.asDouble() == Math.rint(value.asDouble()) && !Double.isInfinite(value.asDouble());
      default -> true;
    };
    if (!matches) {
      out.add(FieldProblem.at(path, value, "must be of type " + type + ", was " + typeOf(value)));
    }
    return matches;
  }

  private static String typeOf(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    return value.isNumber() ? "number" : "null";
  }

  private static void checkFormat(JsonNode schema, JsonNode value, String path, List<FieldProblem> out) {
    String format = schema.path("format").asText("");
    if (format.equals("int32") && value.isNumber()
        && (value.asDouble() < Integer.MIN_VALUE || value.asDouble() > Integer.MAX_VALUE)) {
      out.add(FieldProblem.at(path, value, "must be a 32-bit integer"));
    } else if (format.equals("byte") && value.isTextual()) {
      try {
        Base64.getDecoder().decode(value.asText());
      } catch (IllegalArgumentException e) {
        out.add(FieldProblem.at(path, value, "must be base64-encoded"));
      }
    }
  }

  private static void checkEnum(JsonNode schema, JsonNode value, String path, List<FieldProblem> out) {
    JsonNode allowed = schema.get("enum");
    if (allowed == null || !allowed.isArray()) {
      return;
    }
    StringJoiner names = new StringJoiner(", ");
    for (JsonNode candidate : allowed) {
      if (candidate.equals(value)) {
        return;
      }
      names.add(candidate.asText());
    }
    out.add(FieldProblem.at(path, value, "unsupported value; expected one of " + names));
  }

  private static void checkString(JsonNode schema, JsonNode value, String path, List<FieldProblem> out) {
    String text = value.asText();
    int length = text.codePointCount(0, text.length());
    if (schema.has("minLength") && length < schema.path("minLength").asLong()) {
      out.add(FieldProblem.at(path, value,
          "must be at least " + schema.path("minLength").asLong() + " characters long"));
    }
    if (schema.has("maxLength") && length > schema.path("maxLength").asLong()) {
      out.add(FieldProblem.at(path, value,
          "must be at most " + schema.path("maxLength").asLong() + " characters long, was " + length));
    }
    if (schema.has("pattern")) {
      String pattern = schema.path("pattern").asText();
      if (!pattern(pattern).matcher(text).find()) {
        out.add(FieldProblem.at(path, value, "must match " + pattern));
      }
    }
  }

  private static Pattern pattern(String regex) {
    return PATTERNS.computeIfAbsent(regex, r -> {
      try {
        return Pattern.compile(r);
      } catch (PatternSyntaxException e) {
        throw new IllegalStateException("CRD pattern is not RE2: " + r, e);
      }
    });
  }

  private static void checkNumber(JsonNode schema, JsonNode value, String path, List<FieldProblem> out) {
    double number = value.asDouble();
    if (schema.has("minimum")) {
      double minimum = schema.path("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? number <= minimum : number < minimum) {
        out.add(FieldProblem.at(path, value, "must be " + (exclusive ? "> " : ">= ") + bound(schema.get("minimum"))));
      }
    }
    if (schema.has("maximum")) {
      double maximum = schema.path("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? number >= maximum : number > maximum) {
        out.add(FieldProblem.at(path, value, "must be " + (exclusive ? "< " : "<= ") + bound(schema.get("maximum"))));
      }
    }
  }

  private static String bound(JsonNode bound) {
    return bound.isIntegralNumber() ? Long.toString(bound.asLong()) : bound.asText();
  }

  private void checkArray(JsonNode schema, JsonNode value, String path, List<FieldProblem> out, boolean strict) {
    if (schema.has("minItems") && value.size() < schema.path("minItems").asInt()) {
      out.add(FieldProblem.at(path, value, "must have at least " + schema.path("minItems").asInt() + " items"));
    }
    if (schema.has("maxItems") && value.size() > schema.path("maxItems").asInt()) {
      out.add(FieldProblem.at(path, value,
          "must have at most " + schema.path("maxItems").asInt() + " items, has " + value.size()));
    }
    JsonNode items = schema.path("items");
    for (int i = 0; i < value.size(); i++) {
      if (items.isObject()) {
        validate(items, value.get(i), path + "[" + i + "]", out, strict);
      }
    }
    String listType = schema.path("x-kubernetes-list-type").asText("");
    if (listType.equals("set")) {
      Set<JsonNode> seen = new HashSet<>();
      for (int i = 0; i < value.size(); i++) {
        if (!seen.add(value.get(i))) {
          out.add(FieldProblem.at(path + "[" + i + "]", value.get(i), "duplicate value"));
        }
      }
    } else if (listType.equals("map")) {
      Set<List<JsonNode>> seen = new HashSet<>();
      for (int i = 0; i < value.size(); i++) {
        List<JsonNode> key = new ArrayList<>();
        StringJoiner shown = new StringJoiner(", ");
        for (JsonNode keyName : schema.path("x-kubernetes-list-map-keys")) {
          JsonNode keyValue = value.get(i).path(keyName.asText());
          key.add(keyValue);
          shown.add(keyName.asText() + " " + FieldProblem.show(keyValue));
        }
        if (!seen.add(key)) {
          out.add(FieldProblem.at(path + "[" + i + "]", value.get(i), "duplicate entry with " + shown));
        }
      }
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String path, List<FieldProblem> out, boolean strict) {
    if (schema.has("minProperties") && value.size() < schema.path("minProperties").asInt()) {
      out.add(FieldProblem.at(path, value,
          "must have at least " + schema.path("minProperties").asInt() + " entries"));
    }
    if (schema.has("maxProperties") && value.size() > schema.path("maxProperties").asInt()) {
      out.add(FieldProblem.at(path, value,
          "must have at most " + schema.path("maxProperties").asInt() + " entries, has " + value.size()));
    }
    JsonNode properties = schema.path("properties");
    for (JsonNode required : schema.path("required")) {
      JsonNode present = value.get(required.asText());
      if (present == null || present.isNull() && !properties.path(required.asText()).path("nullable").asBoolean()) {
        out.add(new FieldProblem(path + "." + required.asText(), "", "required"));
      }
    }
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean declaresFields = properties.isObject() || schema.path("type").asText("").equals("object");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode propertySchema = properties.path(field.getKey());
      JsonNode fieldValue = field.getValue();
      if (propertySchema.isObject()) {
        if (!fieldValue.isNull() || propertySchema.path("nullable").asBoolean(false)) {
          validate(propertySchema, fieldValue, path + "." + field.getKey(), out, strict);
        }
      } else if (additional.isObject()) {
        validate(additional, fieldValue, path + "[" + field.getKey() + "]", out, strict);
      } else if (strict && declaresFields && !preserve && !additional.asBoolean(false)) {
        out.add(FieldProblem.at(path + "." + field.getKey(), fieldValue, "unknown field"));
      }
    }
  }

  private void checkCompositions(JsonNode schema, JsonNode value, String path, List<FieldProblem> out,
      boolean strict) {
    for (JsonNode branch : schema.path("allOf")) {
      validate(branch, value, path, out, strict);
    }
    JsonNode oneOf = schema.path("oneOf");
    if (oneOf.isArray() && !oneOf.isEmpty()) {
      int matching = 0;
      for (JsonNode branch : oneOf) {
        matching += matches(branch, value) ? 1 : 0;
      }
      if (matching != 1) {
        out.add(oneOfProblem(oneOf, value, path));
      }
    }
    JsonNode anyOf = schema.path("anyOf");
    if (anyOf.isArray() && !anyOf.isEmpty() && !schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      boolean any = false;
      for (JsonNode branch : anyOf) {
        any |= matches(branch, value);
      }
      if (!any) {
        out.add(FieldProblem.at(path, value, "must match at least one of the allowed forms (anyOf)"));
      }
    }
    JsonNode not = schema.path("not");
    if (not.isObject() && matches(not, value)) {
      out.add(FieldProblem.at(path, value, "must not match the excluded form (not)"));
    }
  }

  private boolean matches(JsonNode branch, JsonNode value) {
    List<FieldProblem> scratch = new ArrayList<>();
    validate(branch, value, "", scratch, false);
    return scratch.isEmpty();
  }

  /**
   * Istio expresses a proto {@code oneof} as {@code oneOf: [not anyOf [required a, required b], required a,
   * required b]}: at most one of the fields. Say so by name; other {@code oneOf}s get a generic message.
   */
  private static FieldProblem oneOfProblem(JsonNode oneOf, JsonNode value, String path) {
    List<String> fields = new ArrayList<>();
    for (JsonNode branch : oneOf) {
      JsonNode required = branch.path("required");
      if (branch.size() == 1 && required.isArray() && required.size() == 1) {
        fields.add(required.get(0).asText());
      }
    }
    if (value.isObject() && fields.size() == oneOf.size() - 1) {
      StringJoiner set = new StringJoiner(", ");
      fields.stream().filter(value::has).forEach(set::add);
      return new FieldProblem(path, "", "only one of " + String.join(", ", fields) + " may be set, found " + set);
    }
    return FieldProblem.at(path, value, "must match exactly one of the allowed forms (oneOf)");
  }

  private void checkRules(JsonNode schema, JsonNode value, String path, List<FieldProblem> out) {
    JsonNode validations = schema.path("x-kubernetes-validations");
    if (!validations.isArray() || validations.isEmpty()) {
      return;
    }
    Object self = CelValues.of(schema, value);
    for (JsonNode validation : validations) {
      String rule = validation.path("rule").asText();
      if (rule.isEmpty() || CelRules.isTransitionRule(rule)) {
        continue;
      }
      String message = validation.path("message").asText("failed rule: " + rule);
      String fieldPath = fieldPath(validation);
      JsonNode shown = fieldPath.isEmpty() ? value : value.at(fieldPath.replace('.', '/'));
      if (shown.isMissingNode()) {
        shown = value;
      }
      CelRules.Outcome outcome = rules.evaluate(rule, self);
      if (outcome instanceof CelRules.Outcome.Violated) {
        out.add(FieldProblem.at(path + fieldPath, shown, message));
      } else if (outcome instanceof CelRules.Outcome.Failed failed) {
        out.add(FieldProblem.at(path + fieldPath, shown, message + " (" + failed.reason() + ")"));
      }
    }
  }

  private static String fieldPath(JsonNode validation) {
    String fieldPath = validation.path("fieldPath").asText("");
    return fieldPath.startsWith(".") ? fieldPath : fieldPath.isEmpty() ? "" : "." + fieldPath;
  }
}
