package dev.inboard.mesh.xds;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the client has agreed with the control plane, per type and per resource: for dumps and status pages. */
public record XdsSyncState(
    String server, XdsProtocol protocol, ConnectionState connection, List<TypeSync> types) {

  public XdsSyncState {
    types = List.copyOf(types);
  }

  public enum ConnectionState { CONNECTING, CONNECTED, BACKING_OFF, SHUTDOWN }

  /** One resource type. */
  public record TypeSync(
      String kind,
      String typeUrl,
      boolean wildcard,
      Set<String> subscribedNames,
      String ackedVersion,
      String lastAckNonce,
      Optional<Instant> lastAckTime,
      Optional<Nack> lastNack,
      Map<String, ResourceSync> resources) {
    public TypeSync {
      subscribedNames = Set.copyOf(subscribedNames);
      resources = Map.copyOf(resources);
    }
  }

  /** The last NACK of a type: which version was refused and why. */
  public record Nack(String version, String nonce, String reason, Instant time) {}

  /** One resource: version in use, status, and the error of the last refused version if any. */
  public record ResourceSync(String version, ResourceStatus status, Optional<String> error) {}
}
