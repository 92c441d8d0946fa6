package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI/structural-schema walk on small schemas, one keyword family at a time. */
class SchemaValidatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final SchemaValidator validator = new SchemaValidator(new CelRules());

  @Test
  void typesRequiredAndUnknownFields_areReportedWithPaths() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            required: [host]
            properties:
              host: {type: string}
              port: {type: integer, format: int32}
              tags: {type: array, items: {type: string}}
        """, """
        spec:
          port: "80"
          tags: [a, 7]
          hots: reviews
        """);

    assertThat(problems).containsExactly(
        new FieldProblem("spec.host", "", "required"),
        new FieldProblem("spec.port", "80", "must be of type integer, was string"),
        new FieldProblem("spec.tags[1]", "7", "must be of type string, was integer"),
        new FieldProblem("spec.hots", "reviews", "unknown field"));
  }

  @Test
  void boundsLengthsPatternsAndInt32_areChecked() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            properties:
              percent: {type: number, minimum: 0, maximum: 100}
              name: {type: string, minLength: 1, maxLength: 3, pattern: "^[a-z]+$"}
              count: {type: integer, format: int32}
              items: {type: array, maxItems: 1, items: {type: string}}
        """, """
        spec:
          percent: 100.5
          name: Abcd
          count: 3000000000
          items: [a, b]
        """);

    assertThat(problems).containsExactly(
        new FieldProblem("spec.percent", "100.5", "must be <= 100"),
        new FieldProblem("spec.name", "Abcd", "must be at most 3 characters long, was 4"),
        new FieldProblem("spec.name", "Abcd", "must match ^[a-z]+$"),
        new FieldProblem("spec.count", "3000000000", "must be a 32-bit integer"),
        new FieldProblem("spec.items", "[\"a\",\"b\"]", "must have at most 1 items, has 2"));
  }

  @Test
  void nullValues_prunedForFields_rejectedForListItems_keptWhenNullable() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            properties:
              retry: {type: boolean, nullable: true}
              timeout: {type: string}
              rules: {type: array, items: {type: object}}
        """, """
        spec:
          retry: null
          timeout: null
          rules: [null]
        """);

    assertThat(problems).containsExactly(new FieldProblem("spec.rules[0]", "null", "must be of type object, was null"));
  }

  @Test
  void listTypes_setAndMap_rejectDuplicates() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            properties:
              names: {type: array, x-kubernetes-list-type: set, items: {type: string}}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items: {type: object, properties: {name: {type: string}, number: {type: integer}}}
        """, """
        spec:
          names: [a, b, a]
          ports: [{name: http, number: 80}, {name: http, number: 8080}]
        """);

    assertThat(problems).containsExactly(
        new FieldProblem("spec.names[2]", "a", "duplicate value"),
        new FieldProblem("spec.ports[1]", "{\"name\":\"http\",\"number\":8080}", "duplicate entry with name http"));
  }

  @Test
  void mapsPreservedFieldsAndIntOrString_areAccepted() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            properties:
              labels: {type: object, additionalProperties: {type: string}}
              config: {type: object, x-kubernetes-preserve-unknown-fields: true}
              port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
        """, """
        spec:
          labels: {app: reviews}
          config: {anything: [1, {x: y}]}
          port: http
        """);

    assertThat(problems).isEmpty();
  }

  @Test
  void oneOf_notAnExclusiveFieldPattern_getsTheGenericMessage() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            properties:
              value:
                oneOf: [{type: string}, {type: integer}, {type: boolean, enum: [true]}]
        """, """
        spec:
          value: false
        """);

    assertThat(problems).containsExactly(
        new FieldProblem("spec.value", "false", "must match exactly one of the allowed forms (oneOf)"));
  }

  @Test
  void celRules_useFieldPath_skipTransitionRules_andReportEvaluationErrors() {
    List<FieldProblem> problems = validate("""
        properties:
          spec:
            type: object
            properties:
              ports: {type: object, additionalProperties: {type: integer}}
              name: {type: string}
            x-kubernetes-validations:
            - rule: self.ports.all(k, int(k) > 0)
              message: port keys must be numbers
              fieldPath: .ports
            - rule: self.name == oldSelf.name
              message: name is immutable
            - rule: "!has(self.name) || self.name.startsWith('web')"
        """, """
        spec:
          ports: {"http": 80}
          name: api
        """);

    assertThat(problems).containsExactly(
        new FieldProblem("spec.ports", "{\"http\":80}", "port keys must be numbers (For input string: \"http\")"),
        new FieldProblem("spec", "{\"ports\":{\"http\":80},\"name\":\"api\"}",
            "failed rule: !has(self.name) || self.name.startsWith('web')"));
  }

  @Test
  void documentWithoutRequiredSpec_isRejectedAtTheTop() {
    List<FieldProblem> problems = validate("""
        required: [spec]
        properties:
          spec: {type: object}
        """, """
        metadata: {name: x}
        """);

    assertThat(problems).containsExactly(new FieldProblem("spec", "", "required"));
  }

  private List<FieldProblem> validate(String schema, String document) {
    try {
      JsonNode s = YAML.readTree(schema);
      JsonNode d = YAML.readTree(document);
      return validator.validateDocument(s, d);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
