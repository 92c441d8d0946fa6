package dev.inboard.mesh.inbound;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the inbound chain sees of one request, free of any transport's types.
 *
 * @param method e.g. {@code GET}
 * @param scheme {@code http} or {@code https}
 * @param authority the {@code :authority} (host header) as received, possibly with a port: {@code reviews:9080};
 *     empty when the request had none
 * @param path the {@code :path} with its query string: {@code /reviews/1?x=y}
 * @param headers the request headers
 * @param localAddress the address the request arrived on, when the transport tells
 * @param peerAddress the address of the peer (the downstream connection), when the transport tells
 * @param peerCertificates the certificate chain the peer presented over TLS, its own certificate first; empty
 *     without TLS or without a client certificate
 */
public record InboundRequest(
    String method,
    String scheme,
    String authority,
    String path,
    InboundHeaders headers,
    Optional<InetSocketAddress> localAddress,
    Optional<InetSocketAddress> peerAddress,
    List<X509Certificate> peerCertificates) {

  public InboundRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(peerAddress, "peerAddress");
    peerCertificates = List.copyOf(peerCertificates);
  }

  /** A request with these essentials; the rest is set on the builder. */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** The path without its query string. */
  public String pathOnly() {
    int end = path.indexOf('?');
    return end < 0 ? path : path.substring(0, end);
  }

  /** The peer's own certificate (the first of its chain), when it presented one. */
  public Optional<X509Certificate> peerCertificate() {
    return peerCertificates.isEmpty() ? Optional.empty() : Optional.of(peerCertificates.get(0));
  }

  /** Builds an {@link InboundRequest}; scheme {@code http}, no authority, headers, addresses or certificates. */
  public static final class Builder {
    private final String method;
    private final String path;
    private String scheme = "http";
    private String authority = "";
    private InboundHeaders headers = InboundHeaders.NONE;
    private Optional<InetSocketAddress> localAddress = Optional.empty();
    private Optional<InetSocketAddress> peerAddress = Optional.empty();
    private List<X509Certificate> peerCertificates = List.of();

    private Builder(String method, String path) {
      this.method = Objects.requireNonNull(method, "method");
      this.path = Objects.requireNonNull(path, "path");
    }

    public Builder scheme(String scheme) {
      this.scheme = scheme;
      return this;
    }

    public Builder authority(String authority) {
      this.authority = authority;
      return this;
    }

    public Builder headers(InboundHeaders headers) {
      this.headers = headers;
      return this;
    }

    public Builder localAddress(InetSocketAddress address) {
      this.localAddress = Optional.of(address);
      return this;
    }

    public Builder peerAddress(InetSocketAddress address) {
      this.peerAddress = Optional.of(address);
      return this;
    }

    public Builder peerCertificates(List<X509Certificate> chain) {
      this.peerCertificates = chain;
      return this;
    }

    public InboundRequest build() {
      return new InboundRequest(method, scheme, authority, path, headers, localAddress, peerAddress,
          peerCertificates);
    }
  }
}
