package dev.inboard.mesh.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's {@code listener.v3.FilterChain}: which connections it takes, their TLS termination, and the network
 * filters they pass through.
 *
 * @param name e.g. {@code 0.0.0.0_9080}, {@code virtualInbound-blackhole}, {@code inbound-mtls}; may be empty
 * @param tls absent: plaintext
 */
public record FilterChainConfig(
    String name, FilterChainMatch match, Optional<TlsContext.Downstream> tls, List<NetworkFilter> filters) {

  public FilterChainConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(tls, "tls");
    filters = List.copyOf(filters);
  }

  /**
   * Envoy's {@code FilterChainMatch}: every set criterion must hold; empty lists and absent values match anything.
   *
   * @param transportProtocol {@code raw_buffer} or {@code tls} (from the TLS inspector); empty matches any
   * @param applicationProtocols ALPN values, e.g. Istio's {@code istio-peer-exchange}, {@code istio-http/1.1}
   */
  public record FilterChainMatch(
      Optional<Integer> destinationPort,
      List<CidrRange> prefixRanges,
      List<CidrRange> directSourcePrefixRanges,
      SourceType sourceType,
      List<CidrRange> sourcePrefixRanges,
      List<Integer> sourcePorts,
      List<String> serverNames,
      String transportProtocol,
      List<String> applicationProtocols) {

    public static final FilterChainMatch ANY = new FilterChainMatch(Optional.empty(), List.of(), List.of(),
        SourceType.ANY, List.of(), List.of(), List.of(), "", List.of());

    public FilterChainMatch {
      Objects.requireNonNull(destinationPort, "destinationPort");
      prefixRanges = List.copyOf(prefixRanges);
      directSourcePrefixRanges = List.copyOf(directSourcePrefixRanges);
      Objects.requireNonNull(sourceType, "sourceType");
      sourcePrefixRanges = List.copyOf(sourcePrefixRanges);
      sourcePorts = List.copyOf(sourcePorts);
      serverNames = List.copyOf(serverNames);
      Objects.requireNonNull(transportProtocol, "transportProtocol");
      applicationProtocols = List.copyOf(applicationProtocols);
      destinationPort.ifPresent(port -> checkPort("destination port", port));
      sourcePorts.forEach(port -> checkPort("source port", port));
    }

    private static void checkPort(String what, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(what + " must be in [1, 65535], was " + port);
      }
    }
  }

  /** Envoy's {@code ConnectionSourceType}. */
  public enum SourceType {
    ANY,
    /** The source is the local host (same IP as the destination, or loopback). */
    SAME_IP_OR_LOOPBACK,
    EXTERNAL
  }
}
