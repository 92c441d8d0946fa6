package dev.inboard.mesh.agent.server;

import java.util.Objects;

/**
 * YAML text and where it came from (a file path, or {@code -} for standard input); the source names the text in
 * problems.
 */
public record YamlSource(String source, String yaml) {
  public YamlSource {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(yaml, "yaml");
  }
}
