package dev.inboard.mesh.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Envoy's {@code listener.v3.Listener} in the shapes istiod sends: sidecar listeners ({@code 0.0.0.0_9080},
 * {@code virtualInbound}, {@code virtualOutbound}) with filter chains, the grpc generator's client listeners
 * ({@code reviews.default.svc.cluster.local:9080}, an {@code api_listener}) and its server listeners
 * ({@code xds.istio.io/grpc/lds/inbound/0.0.0.0:8080}, one filter chain).
 *
 * @param address absent only for an API listener without one
 * @param apiListener the connection manager of an API listener
 * @param listenerFilters listener filter names in order, e.g. {@code envoy.filters.listener.tls_inspector}
 * @param useOriginalDst hand connections to the listener of their original destination (Istio's virtual listeners)
 * @param bindToPort false for Istio's per-port outbound listeners, which only receive connections handed over
 */
public record ListenerConfig(
    String name,
    Optional<SocketAddress> address,
    List<SocketAddress> additionalAddresses,
    TrafficDirection trafficDirection,
    Optional<HttpConnectionManagerConfig> apiListener,
    List<FilterChainConfig> filterChains,
    Optional<FilterChainConfig> defaultFilterChain,
    List<String> listenerFilters,
    boolean useOriginalDst,
    boolean bindToPort,
    Metadata metadata) {

  public ListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    additionalAddresses = List.copyOf(additionalAddresses);
    Objects.requireNonNull(trafficDirection, "trafficDirection");
    Objects.requireNonNull(apiListener, "apiListener");
    filterChains = List.copyOf(filterChains);
    Objects.requireNonNull(defaultFilterChain, "defaultFilterChain");
    listenerFilters = List.copyOf(listenerFilters);
    Objects.requireNonNull(metadata, "metadata");
  }

  /** Every filter chain, the default one last. */
  public List<FilterChainConfig> allFilterChains() {
    List<FilterChainConfig> all = new ArrayList<>(filterChains);
    defaultFilterChain.ifPresent(all::add);
    return Collections.unmodifiableList(all);
  }

  /** Every connection manager: the API listener's, then those of the filter chains. */
  public List<HttpConnectionManagerConfig> httpConnectionManagers() {
    List<HttpConnectionManagerConfig> out = new ArrayList<>();
    apiListener.ifPresent(out::add);
    for (FilterChainConfig chain : allFilterChains()) {
      for (NetworkFilter filter : chain.filters()) {
        if (filter instanceof NetworkFilter.HttpConnectionManager hcm) {
          out.add(hcm.config());
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The RDS names this listener's connection managers subscribe to, in order of appearance. */
  public Set<String> routeConfigNames() {
    Set<String> names = new LinkedHashSet<>();
    httpConnectionManagers().forEach(hcm -> hcm.rdsName().ifPresent(names::add));
    return Collections.unmodifiableSet(names);
  }

  /** The SDS secrets the filter chains' TLS contexts need (certificates and validation roots). */
  public Set<SecretRef> secretRefs() {
    Set<SecretRef> refs = new LinkedHashSet<>();
    for (FilterChainConfig chain : allFilterChains()) {
      chain.tls().ifPresent(tls -> {
        tls.common().certificate().ifPresent(refs::add);
        tls.common().validationRoot().ifPresent(refs::add);
      });
    }
    return Collections.unmodifiableSet(refs);
  }

  /** Envoy's {@code core.v3.TrafficDirection}. */
  public enum TrafficDirection {
    UNSPECIFIED,
    INBOUND,
    OUTBOUND
  }
}
