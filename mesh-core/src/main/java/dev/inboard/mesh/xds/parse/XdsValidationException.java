package dev.inboard.mesh.xds.parse;

/**
 * A resource failed validation. The message is a field path and a reason, e.g.
 * {@code virtual_hosts[reviews].routes[2].route.weighted_clusters: total weight must be > 0, was 0}; callers one
 * level up prefix their own path segment with {@link #under(String)}.
 */
public final class XdsValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  public XdsValidationException(String path, String reason) {
    super(path.isEmpty() ? reason : path + ": " + reason, null, false, false);
    this.path = path;
    this.reason = reason;
  }

  /** A failure of the resource as a whole (no field path). */
  public static XdsValidationException of(String reason) {
    return new XdsValidationException("", reason);
  }

  public String path() {
    return path;
  }

  public String reason() {
    return reason;
  }

  /** The same failure seen from the enclosing message: {@code segment.path}. */
  public XdsValidationException under(String segment) {
    if (path.isEmpty()) {
      return new XdsValidationException(segment, reason);
    }
    String joined = path.startsWith("[") ? segment + path : segment + "." + path;
    return new XdsValidationException(joined, reason);
  }
}
