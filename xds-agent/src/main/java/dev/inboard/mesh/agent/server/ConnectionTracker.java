package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.server.ProxyStatus.Nack;
import dev.inboard.mesh.agent.server.ProxyStatus.SyncState;
import dev.inboard.mesh.agent.server.ProxyStatus.TypeStatus;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.clock.MeshClock;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every ADS stream: the node of its first request (a stream without one is refused), and per type what
 * was sent and what the proxy ACKed or NACKed. Called on gRPC threads; tells its listener when a stream's node
 * becomes known and when the stream ends.
 */
final class ConnectionTracker implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(ConnectionTracker.class);

  /** Stream lifecycle, called on gRPC threads. */
  interface Listener {
    void connected(long streamId, NodeInfo node);

    void disconnected(long streamId, NodeInfo node);
  }

  /** What is known of one open stream. */
  record StreamView(long streamId, NodeInfo node, String protocol, Instant connectedAt, List<TypeStatus> types) {}

  private final MeshClock clock;
  private final Listener listener;
  private final ConcurrentMap<Long, StreamState> streams = new ConcurrentHashMap<>();

  ConnectionTracker(MeshClock clock, Listener listener) {
    this.clock = clock;
    this.listener = listener;
  }

  /** What the control plane currently serves a node, per type: the version a proxy in sync has ACKed. */
  @FunctionalInterface
  interface ServedVersions {
    Optional<String> version(String nodeId, String typeUrl);
  }

  /** Every open stream whose node is known. */
  List<StreamView> streams(ServedVersions served) {
    List<StreamView> out = new ArrayList<>();
    streams.forEach((id, s) -> out.add(s.view(id, served)));
    return out;
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    StreamState stream = stream(streamId, request.getNode(), "SOTW");
    if (request.getResponseNonce().isEmpty()) {
      return;
    }
    TypeState type = stream.type(request.getTypeUrl());
    if (request.hasErrorDetail()) {
      nacked(stream, request.getTypeUrl(), type, request.getResponseNonce(), request.getErrorDetail().getMessage());
    } else {
      type.acked(request.getResponseNonce(), Optional.of(request.getVersionInfo()));
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    StreamState stream = stream(streamId, request.getNode(), "DELTA");
    if (request.getResponseNonce().isEmpty()) {
      return;
    }
    TypeState type = stream.type(request.getTypeUrl());
    if (request.hasErrorDetail()) {
      nacked(stream, request.getTypeUrl(), type, request.getResponseNonce(), request.getErrorDetail().getMessage());
    } else {
      type.acked(request.getResponseNonce(), Optional.empty());
    }
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      stream.type(response.getTypeUrl()).sent(response.getNonce(), response.getVersionInfo());
    }
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      stream.type(response.getTypeUrl()).sent(response.getNonce(), response.getSystemVersionInfo());
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  private void nacked(StreamState stream, String typeUrl, TypeState type, String nonce, String message) {
    Nack nack = type.nacked(nonce, message, clock.now());
    log.warn("{} NACKed {} version {}: {}", NodeInfos.proxyName(stream.node), XdsTypes.shortName(typeUrl),
        nack.version(), message);
  }

  private StreamState stream(long streamId, Node node, String protocol) throws RequestException {
    StreamState known = streams.get(streamId);
    if (known != null) {
      return known;
    }
    NodeInfo info;
    try {
      info = NodeInfos.fromProto(node);
    } catch (IllegalArgumentException e) {
      throw new RequestException(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    }
    StreamState fresh = new StreamState(info, protocol, clock.now());
    streams.put(streamId, fresh);
    listener.connected(streamId, info);
    return fresh;
  }

  private void closed(long streamId) {
    StreamState stream = streams.remove(streamId);
    if (stream != null) {
      listener.disconnected(streamId, stream.node);
    }
  }

  private static final class StreamState {
    final NodeInfo node;
    final String protocol;
    final Instant connectedAt;
    final ConcurrentMap<String, TypeState> types = new ConcurrentHashMap<>();

    StreamState(NodeInfo node, String protocol, Instant connectedAt) {
      this.node = node;
      this.protocol = protocol;
      this.connectedAt = connectedAt;
    }

    TypeState type(String typeUrl) {
      return types.computeIfAbsent(typeUrl, url -> new TypeState());
    }

    StreamView view(long id, ServedVersions served) {
      List<TypeStatus> out = new ArrayList<>();
      for (String url : XdsTypes.ALL) {
        out.add(types.getOrDefault(url, new TypeState()).status(url, served.version(node.id(), url)));
      }
      return new StreamView(id, node, protocol, connectedAt, out);
    }
  }

  /** One type of one stream; responses and requests of a type may arrive on different threads. */
  private static final class TypeState {
    private static final int REMEMBERED_NONCES = 32;

    private final Map<String, String> versionByNonce = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > REMEMBERED_NONCES;
      }
    };
    private String sentVersion = "";
    private String sentNonce = "";
    private String ackedVersion = "";
    private String ackedNonce = "";
    private Optional<Nack> lastNack = Optional.empty();

    synchronized void sent(String nonce, String version) {
      versionByNonce.put(nonce, version);
      sentNonce = nonce;
      sentVersion = version;
    }

    /** An ACK; SotW requests carry the version, Delta ones only the nonce of the response. */
    synchronized void acked(String nonce, Optional<String> version) {
      String v = version.orElse(versionByNonce.get(nonce));
      if (v == null) {
        return; // an ACK of a response this tracker never saw
      }
      ackedNonce = nonce;
      ackedVersion = v;
    }

    synchronized Nack nacked(String nonce, String message, Instant at) {
      Nack nack = new Nack(versionByNonce.getOrDefault(nonce, ""), nonce, message, at);
      lastNack = Optional.of(nack);
      return nack;
    }

    /**
     * In sync when the proxy ACKed what is served now (after a NACK, serving the last good content again is not
     * resent on Delta streams: the proxy already has it); NACKed when it refused the last response; otherwise
     * stale until it ACKs.
     */
    synchronized TypeStatus status(String typeUrl, Optional<String> served) {
      SyncState state;
      if (sentNonce.isEmpty()) {
        state = SyncState.NOT_SENT;
      } else if (served.isPresent() && served.get().equals(ackedVersion)) {
        state = SyncState.SYNCED;
      } else if (lastNack.isPresent() && lastNack.get().nonce().equals(sentNonce)) {
        state = SyncState.NACKED;
      } else if (sentNonce.equals(ackedNonce) && served.isEmpty()) {
        state = SyncState.SYNCED;
      } else {
        state = SyncState.STALE;
      }
      return new TypeStatus(XdsTypes.shortName(typeUrl), typeUrl, state, sentVersion, sentNonce, ackedVersion,
          ackedNonce, lastNack);
    }
  }
}
