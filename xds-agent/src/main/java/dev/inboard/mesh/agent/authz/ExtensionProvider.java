package dev.inboard.mesh.agent.authz;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A mesh config {@code extensionProviders} entry a CUSTOM AuthorizationPolicy can name. The records hold the values
 * as configured, valid or not: like istiod, the builder checks them when a policy uses the provider and turns a
 * policy with a broken provider into a DENY (see {@link RbacFilterBuilder}).
 */
public sealed interface ExtensionProvider {
  String name();

  /** {@code includeRequestBodyInCheck}: buffer the request body and send it with the check. */
  record RequestBody(int maxRequestBytes, boolean allowPartialMessage, boolean packAsBytes) {}

  /**
   * {@code envoyExtAuthzGrpc}: Envoy's ext_authz gRPC API.
   *
   * @param service {@code <namespace>/<hostname>}, or a hostname found in exactly one namespace
   * @param port the service port
   * @param timeout absent means 600s
   * @param statusOnError the HTTP status (as written in mesh config) returned when the server cannot be reached;
   *     "" for Envoy's default
   */
  record EnvoyExtAuthzGrpc(String name, String service, long port, Optional<Duration> timeout, boolean failOpen,
      String statusOnError, Optional<RequestBody> includeRequestBodyInCheck) implements ExtensionProvider {
    public EnvoyExtAuthzGrpc {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(statusOnError, "statusOnError");
      Objects.requireNonNull(includeRequestBodyInCheck, "includeRequestBodyInCheck");
    }

    public static EnvoyExtAuthzGrpc of(String name, String service, long port) {
      return new EnvoyExtAuthzGrpc(name, service, port, Optional.empty(), false, "", Optional.empty());
    }
  }

  /**
   * {@code envoyExtAuthzHttp}: a plain HTTP authorization server.
   *
   * <p>Header lists take exact names, {@code prefix*} and {@code *suffix} (case-insensitive).
   * {@code includeHeadersInCheck} is the deprecated spelling of {@code includeRequestHeadersInCheck} and only used
   * when the latter is empty.
   */
  record EnvoyExtAuthzHttp(String name, String service, long port, Optional<Duration> timeout, boolean failOpen,
      String statusOnError, String pathPrefix, List<String> includeRequestHeadersInCheck,
      List<String> includeHeadersInCheck, Map<String, String> includeAdditionalHeadersInCheck,
      Optional<RequestBody> includeRequestBodyInCheck, List<String> headersToUpstreamOnAllow,
      List<String> headersToDownstreamOnDeny, List<String> headersToDownstreamOnAllow) implements ExtensionProvider {
    public EnvoyExtAuthzHttp {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(statusOnError, "statusOnError");
      Objects.requireNonNull(pathPrefix, "pathPrefix");
      Objects.requireNonNull(includeRequestBodyInCheck, "includeRequestBodyInCheck");
      includeRequestHeadersInCheck = List.copyOf(includeRequestHeadersInCheck);
      includeHeadersInCheck = List.copyOf(includeHeadersInCheck);
      includeAdditionalHeadersInCheck = Map.copyOf(includeAdditionalHeadersInCheck);
      headersToUpstreamOnAllow = List.copyOf(headersToUpstreamOnAllow);
      headersToDownstreamOnDeny = List.copyOf(headersToDownstreamOnDeny);
      headersToDownstreamOnAllow = List.copyOf(headersToDownstreamOnAllow);
    }

    public static EnvoyExtAuthzHttp of(String name, String service, long port) {
      return new EnvoyExtAuthzHttp(name, service, port, Optional.empty(), false, "", "", List.of(), List.of(),
          Map.of(), Optional.empty(), List.of(), List.of(), List.of());
    }

    /** {@link #includeAdditionalHeadersInCheck()} in header-name order. */
    Map<String, String> additionalHeadersSorted() {
      return new TreeMap<>(includeAdditionalHeadersInCheck);
    }
  }
}
