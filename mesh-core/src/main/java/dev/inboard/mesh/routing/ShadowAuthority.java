package dev.inboard.mesh.routing;

/**
 * The authority of a mirrored (shadow) request: {@code -shadow} appended to the host, before any port, so the
 * mirror target can tell shadow traffic apart (unless the mirror policy disables the suffix).
 */
public final class ShadowAuthority {
  private ShadowAuthority() {}

  public static String of(String authority) {
    int colon = authority.lastIndexOf(':');
    boolean hasPort = colon > 0 && authority.indexOf(']', colon) < 0
        && (authority.startsWith("[") || authority.indexOf(':') == colon);
    return hasPort ? authority.substring(0, colon) + "-shadow" + authority.substring(colon)
        : authority + "-shadow";
  }
}
