package dev.inboard.mesh.agent.config;

import java.util.Objects;

/**
 * Something wrong with the configuration, located precisely enough to fix: the file, the resource, the field path
 * and the offending value. {@link #toString()} is the one line {@code meshctl analyze} prints.
 *
 * @param file the source file (and document), or empty when the problem is not tied to one
 * @param resource {@code Kind namespace/name}, or empty when the document has no usable identity
 * @param field the field path, e.g. {@code spec.http[0].route[1].weight}, or empty
 * @param value the offending value as written, or empty
 * @param message what is wrong and, where it helps, the fix
 */
public record ConfigProblem(String file, String resource, String field, String value, String message) {
  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(message, "message");
  }

  public static ConfigProblem of(ConfigResource<?> resource, String field, String value, String message) {
    return new ConfigProblem(resource.source().toString(), resource.displayName(), field, value, message);
  }

  @Override
  public String toString() {
    StringBuilder line = new StringBuilder();
    if (!file.isEmpty()) {
      line.append(file).append(": ");
    }
    if (!resource.isEmpty()) {
      line.append(resource).append(": ");
    }
    if (!field.isEmpty()) {
      line.append(field).append(": ");
    }
    line.append(message);
    if (!value.isEmpty()) {
      line.append(" (value: ").append(value).append(')');
    }
    return line.toString();
  }
}
