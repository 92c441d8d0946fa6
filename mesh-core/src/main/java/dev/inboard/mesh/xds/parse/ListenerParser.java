package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.FilterChainConfig;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LDS: {@code envoy.config.listener.v3.Listener} to {@link ListenerConfig}. Accepts istiod's sidecar listeners
 * (filter chains, a default chain, listener filters, original-destination handoff) and its grpc generator's client
 * ({@code api_listener}) and server listeners. Like Envoy, a listener needs a filter chain unless it is an API
 * listener, two filter chains may not have the same match, and every connection manager ends with the router.
 */
public final class ListenerParser extends ResourceParser<Listener, ListenerConfig> {
  public static final String TYPE_URL = TypedConfigs.typeUrl(Listener.getDescriptor());

  public ListenerParser() {
    super("Listener", Listener.class, TYPE_URL);
  }

  @Override
  protected String nameOf(Listener message) {
    return message.getName();
  }

  @Override
  protected ListenerConfig validate(Listener l) throws XdsValidationException {
    Validation.check(!l.getName().isEmpty(), "name", "must not be empty");
    Validation.check(!l.hasInternalListener(), "internal_listener", "not supported");
    Validation.check(!l.hasUdpListenerConfig(), "udp_listener_config", "UDP listeners are not supported");
    Validation.check(!l.hasFilterChainMatcher(), "filter_chain_matcher", "not supported; use filter_chain_match");

    Optional<HttpConnectionManagerConfig> api = Optional.empty();
    if (l.hasApiListener()) {
      api = Optional.of(Validation.at("api_listener.api_listener", () -> apiListener(l)));
    }
    Optional<SocketAddress> address = Optional.empty();
    if (l.hasAddress()) {
      address = Optional.of(Validation.at("address", () -> CommonProtos.socketAddress(l.getAddress())));
    } else {
      Validation.check(api.isPresent(), "address", "must be set for a listener that is not an API listener");
    }
    List<SocketAddress> additional = new ArrayList<>(l.getAdditionalAddressesCount());
    for (int i = 0; i < l.getAdditionalAddressesCount(); i++) {
      var extra = l.getAdditionalAddresses(i);
      additional.add(Validation.at(Validation.indexed("additional_addresses", i) + ".address",
          () -> CommonProtos.socketAddress(extra.getAddress())));
    }

    List<FilterChainConfig> chains = filterChains(l.getFilterChainsList());
    Optional<FilterChainConfig> defaultChain = l.hasDefaultFilterChain()
        ? Optional.of(Validation.at("default_filter_chain", () -> FilterChainParser.filterChain(l.getDefaultFilterChain())))
        : Optional.empty();
    Validation.check(api.isPresent() || !chains.isEmpty() || defaultChain.isPresent(), "filter_chains",
        "a listener needs filter_chains or a default_filter_chain unless it is an API listener");

    List<String> listenerFilters = new ArrayList<>(l.getListenerFiltersCount());
    for (int i = 0; i < l.getListenerFiltersCount(); i++) {
      String name = l.getListenerFilters(i).getName();
      Validation.check(!name.isEmpty(), Validation.indexed("listener_filters", i) + ".name", "must not be empty");
      listenerFilters.add(name);
    }
    ListenerConfig.TrafficDirection direction = switch (l.getTrafficDirection()) {
      case UNSPECIFIED -> ListenerConfig.TrafficDirection.UNSPECIFIED;
      case INBOUND -> ListenerConfig.TrafficDirection.INBOUND;
      case OUTBOUND -> ListenerConfig.TrafficDirection.OUTBOUND;
      case UNRECOGNIZED -> throw new XdsValidationException("traffic_direction",
          "unknown value " + l.getTrafficDirectionValue());
    };
    return new ListenerConfig(
        l.getName(),
        address,
        additional,
        direction,
        api,
        chains,
        defaultChain,
        listenerFilters,
        l.hasUseOriginalDst() && l.getUseOriginalDst().getValue(),
        !l.hasBindToPort() || l.getBindToPort().getValue(),
        CommonProtos.metadata(l.getMetadata()));
  }

  private static HttpConnectionManagerConfig apiListener(Listener l) throws XdsValidationException {
    var any = l.getApiListener().getApiListener();
    Validation.check(HttpConnectionManagerParser.TYPE_URL.equals(any.getTypeUrl()), "",
        "only an HttpConnectionManager is supported, was '" + any.getTypeUrl() + "'");
    return HttpConnectionManagerParser.hcm(TypedConfigs.unpack(any, HttpConnectionManager.class));
  }

  private static List<FilterChainConfig> filterChains(List<FilterChain> protos) throws XdsValidationException {
    List<FilterChainConfig> out = new ArrayList<>(protos.size());
    Map<FilterChainConfig.FilterChainMatch, String> seen = new HashMap<>();
    for (int i = 0; i < protos.size(); i++) {
      FilterChain fc = protos.get(i);
      String segment = fc.getName().isEmpty()
          ? Validation.indexed("filter_chains", i) : Validation.named("filter_chains", fc.getName());
      FilterChainConfig chain = Validation.at(segment, () -> FilterChainParser.filterChain(fc));
      String previous = seen.putIfAbsent(chain.match(), segment);
      if (previous != null) {
        throw new XdsValidationException(segment + ".filter_chain_match",
            "the same match as " + previous + "; each filter chain must match differently");
      }
      out.add(chain);
    }
    return out;
  }
}
