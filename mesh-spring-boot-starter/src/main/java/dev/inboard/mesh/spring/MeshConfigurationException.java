package dev.inboard.mesh.spring;

import org.jspecify.annotations.Nullable;

/**
 * A {@code mesh.*} property (or the environment it falls back to) cannot configure the mesh. Names the property, the
 * value and the fix; {@link MeshConfigurationFailureAnalyzer} shows them when start-up fails.
 */
public class MeshConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String action;

  /**
   * @param property the property or setting at fault, e.g. {@code mesh.control-plane}
   * @param description what is wrong, naming the property and the value
   * @param action how to fix it
   */
  public MeshConfigurationException(String property, String description, String action) {
    this(property, description, action, null);
  }

  public MeshConfigurationException(String property, String description, String action, @Nullable Throwable cause) {
    super(description, cause);
    this.property = property;
    this.action = action;
  }

  /** The property or setting at fault. */
  public String property() {
    return property;
  }

  /** How to fix it. */
  public String action() {
    return action;
  }
}
