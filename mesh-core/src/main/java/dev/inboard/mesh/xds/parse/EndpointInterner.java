package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares equal values between the endpoints of one assignment. istiod repeats the same metadata
 * ({@code istio}, {@code envoy.transport_socket_match}) on every endpoint of a workload, so ten thousand endpoints
 * hold a handful of {@link Metadata} instances instead of ten thousand.
 */
final class EndpointInterner {
  private final Map<io.envoyproxy.envoy.config.core.v3.Metadata, Metadata> metadata = new HashMap<>();
  private final Map<String, String> strings = new HashMap<>();
  private final Map<Locality, Locality> localities = new HashMap<>();

  Metadata metadata(io.envoyproxy.envoy.config.core.v3.Metadata proto) {
    if (proto.getFilterMetadataCount() == 0 && proto.getTypedFilterMetadataCount() == 0) {
      return Metadata.EMPTY;
    }
    return metadata.computeIfAbsent(proto, CommonProtos::metadata);
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
