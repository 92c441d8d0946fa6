package dev.inboard.mesh.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the bootstrap is built from: environment variables, system properties and the pod labels file written by
 * the Kubernetes downward API. Injected so tests (and embedders) need not touch the real process environment.
 *
 * @param variables environment variables
 * @param systemProperties system properties
 * @param podLabels content of the downward-API labels file ({@code /etc/istio/pod/labels} in an Istio pod), lines
 *     of {@code key="value"}; empty when there is no such file
 */
public record BootstrapEnvironment(
    Map<String, String> variables, Map<String, String> systemProperties, Optional<String> podLabels) {

  /** Where Istio's injection mounts the pod labels (volume {@code istio-podinfo}). */
  public static final Path POD_LABELS_FILE = Path.of("/etc/istio/pod/labels");

  public BootstrapEnvironment {
    variables = Map.copyOf(variables);
    systemProperties = Map.copyOf(systemProperties);
    Objects.requireNonNull(podLabels, "podLabels");
  }

  /** Environment variables only, no system properties, no labels file. */
  public static BootstrapEnvironment ofVariables(Map<String, String> variables) {
    return new BootstrapEnvironment(variables, Map.of(), Optional.empty());
  }

  /** This process: {@link System#getenv()}, {@link System#getProperties()} and {@link #POD_LABELS_FILE}. */
  public static BootstrapEnvironment system() {
    Map<String, String> properties = new TreeMap<>();
    Properties all = System.getProperties();
    for (String name : all.stringPropertyNames()) {
      properties.put(name, all.getProperty(name));
    }
    return new BootstrapEnvironment(System.getenv(), properties, readIfPresent(POD_LABELS_FILE));
  }

  /** An environment variable, if set to a non-blank value. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }

  /** A system property, if set to a non-blank value. */
  public Optional<String> systemProperty(String name) {
    return Optional.ofNullable(systemProperties.get(name)).filter(v -> !v.isBlank());
  }

  private static Optional<String> readIfPresent(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BootstrapException(
          "pod labels file " + file + " cannot be read: " + e + "; check the istio-podinfo volume mount", e);
    }
  }
}
