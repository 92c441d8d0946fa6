package dev.inboard.mesh.inbound;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A response the inbound chain sends instead of the application's, as Envoy sends a local reply.
 *
 * @param status the HTTP status, 100-599
 * @param headers response headers (a {@code content-type} for the body among them)
 * @param body the body text, sent as UTF-8; empty for none
 */
public record InboundResponse(int status, InboundHeaders headers, String body) {
  /** The body Envoy's RBAC filter answers a denied request with. */
  public static final String RBAC_DENIED_BODY = "RBAC: access denied";

  public InboundResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status " + status + " must be in 100-599");
    }
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
  }

  /** A {@code text/plain} response with this status and body. */
  public static InboundResponse text(int status, String body) {
    return new InboundResponse(status, InboundHeaders.builder().add("content-type", "text/plain").build(), body);
  }

  /** What Envoy's RBAC filter answers a denied request with: 403, {@code text/plain}, {@code RBAC: access denied}. */
  public static InboundResponse rbacDenied() {
    return text(403, RBAC_DENIED_BODY);
  }

  /** The body as the bytes sent. */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
