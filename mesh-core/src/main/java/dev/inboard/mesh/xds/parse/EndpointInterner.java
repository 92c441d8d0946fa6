package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Struct;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shares equal values between the endpoints of one assignment. istiod repeats the same metadata
 * ({@code istio}, {@code envoy.transport_socket_match}) on every endpoint of a workload, so ten thousand endpoints
 * hold a handful of {@link Metadata} instances instead of ten thousand.
 */
final class EndpointInterner {
  private final Map<io.envoyproxy.envoy.config.core.v3.Metadata, Metadata> metadata = new HashMap<>();
  private final Map<Struct, Map<String, Object>> filterValues = new HashMap<>();
  private final Map<String, String> strings = new HashMap<>();
  private final Map<Locality, Locality> localities = new HashMap<>();

  Metadata metadata(io.envoyproxy.envoy.config.core.v3.Metadata proto) {
    if (proto.getFilterMetadataCount() == 0) {
      return Metadata.EMPTY;
    }
    Metadata known = metadata.get(proto);
    if (known != null) {
      return known;
    }
    // Endpoints of different workloads still share most filters, e.g. {tlsMode: istio}.
    Map<String, Map<String, Object>> filters = new LinkedHashMap<>();
    proto.getFilterMetadataMap().forEach((filter, struct) ->
        filters.put(string(filter), filterValues.computeIfAbsent(struct, CommonProtos::struct)));
    Metadata converted = new Metadata(filters);
    metadata.put(proto, converted);
    return converted;
  }

  String string(String s) {
    if (s.isEmpty()) {
      return "";
    }
    String known = strings.putIfAbsent(s, s);
    return known == null ? s : known;
  }

  Locality locality(io.envoyproxy.envoy.config.core.v3.Locality proto) {
    Locality l = new Locality(string(proto.getRegion()), string(proto.getZone()), string(proto.getSubZone()));
    Locality known = localities.putIfAbsent(l, l);
    return known == null ? l : known;
  }
}
