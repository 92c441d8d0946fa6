package dev.inboard.mesh.agent.registry;

import java.util.Locale;

/** Istio's port protocols, chosen from an explicit protocol, an {@code appProtocol}, or the port name's prefix. */
public enum Protocol {
  HTTP, HTTP2, HTTPS, GRPC, GRPC_WEB, TCP, TLS, MONGO, REDIS, MYSQL, UNSUPPORTED;

  /** Whether istiod builds HTTP routes (an HTTP connection manager) for this protocol. */
  public boolean isHttp() {
    return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB;
  }

  /**
   * Istio's protocol selection: an explicit protocol or {@code appProtocol} wins; otherwise the port name's prefix
   * before the first {@code -} ({@code http-web} is HTTP, {@code grpc} is GRPC); unknown is UNSUPPORTED (istiod
   * then sniffs; proxyless workloads treat it as TCP).
   */
  public static Protocol of(String explicitOrName) {
    String s = explicitOrName.toLowerCase(Locale.ROOT);
    int dash = s.indexOf('-');
    String prefix = dash < 0 ? s : s.substring(0, dash);
    return switch (prefix) {
      case "http", "http1" -> HTTP;
      case "http2", "h2c" -> HTTP2;
      case "https" -> HTTPS;
      case "grpc" -> GRPC;
      case "grpc_web", "grpc-web" -> GRPC_WEB;
      case "tcp" -> TCP;
      case "tls" -> TLS;
      case "mongo" -> MONGO;
      case "redis" -> REDIS;
      case "mysql" -> MYSQL;
      default -> s.startsWith("kubernetes.io/h2c") ? HTTP2 : UNSUPPORTED;
    };
  }
}
