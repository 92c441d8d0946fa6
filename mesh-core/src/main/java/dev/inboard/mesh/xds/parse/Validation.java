package dev.inboard.mesh.xds.parse;

/** Small helpers that keep parsers readable while building path-qualified errors. */
public final class Validation {
  private Validation() {}

  /** Code that validates part of a message. */
  @FunctionalInterface
  public interface Step<T> {
    T get() throws XdsValidationException;
  }

  /** Runs {@code step}, prefixing any failure with {@code segment}. */
  public static <T> T at(String segment, Step<T> step) throws XdsValidationException {
    try {
      return step.get();
    } catch (XdsValidationException e) {
      throw e.under(segment);
    }
  }

  /** Fails with {@code path: reason} unless {@code condition} holds. */
  public static void check(boolean condition, String path, String reason) throws XdsValidationException {
    if (!condition) {
      throw new XdsValidationException(path, reason);
    }
  }

  /** A path segment for the {@code index}-th element of a repeated field, e.g. {@code routes[2]}. */
  public static String indexed(String field, int index) {
    return field + "[" + index + "]";
  }

  /** A path segment for an element known by name, e.g. {@code virtual_hosts[reviews]}. */
  public static String named(String field, String name) {
    return field + "[" + name + "]";
  }
}
