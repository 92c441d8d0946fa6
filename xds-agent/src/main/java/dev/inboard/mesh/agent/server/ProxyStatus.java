package dev.inboard.mesh.agent.server;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One connected proxy as {@code meshctl proxy-status} shows it: who it is and, per xDS type, whether it has what
 * was last sent.
 *
 * @param name {@code pod.namespace}, as istioctl names proxies
 * @param nodeId the node id it connected with
 * @param namespace its namespace
 * @param workload its {@code WORKLOAD_NAME}, or empty
 * @param clusterId its {@code CLUSTER_ID}
 * @param addresses its {@code INSTANCE_IPS}
 * @param protocol {@code SOTW} or {@code DELTA}
 * @param connectedAt when its stream opened
 * @param registered whether it registered as a workload (service endpoint)
 * @param generationError why its xDS could not be generated last time, if it could not
 * @param types CDS, LDS, EDS and RDS, in that order
 */
public record ProxyStatus(
    String name,
    String nodeId,
    String namespace,
    String workload,
    String clusterId,
    List<String> addresses,
    String protocol,
    Instant connectedAt,
    boolean registered,
    Optional<String> generationError,
    List<TypeStatus> types) {

  public ProxyStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(clusterId, "clusterId");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(connectedAt, "connectedAt");
    Objects.requireNonNull(generationError, "generationError");
    types = List.copyOf(types);
  }

  /** Where one xDS type stands with the proxy. */
  public enum SyncState {
    /** The last response was ACKed. */
    SYNCED,
    /** The last response is not yet ACKed or NACKed. */
    STALE,
    /** The last response was NACKed; the proxy keeps what it had. */
    NACKED,
    /** Nothing of this type was sent. */
    NOT_SENT
  }

  /**
   * One xDS type of one proxy.
   *
   * @param type {@code CDS}, {@code LDS}, {@code EDS} or {@code RDS}
   * @param typeUrl the resource type URL
   * @param state the sync state
   * @param sentVersion the version of the last response sent, or empty
   * @param sentNonce its nonce, or empty
   * @param ackedVersion the last version the proxy ACKed, or empty
   * @param ackedNonce the nonce of that ACK, or empty
   * @param lastNack the last NACK, if any
   */
  public record TypeStatus(String type, String typeUrl, SyncState state, String sentVersion, String sentNonce,
      String ackedVersion, String ackedNonce, Optional<Nack> lastNack) {
    public TypeStatus {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(typeUrl, "typeUrl");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(sentVersion, "sentVersion");
      Objects.requireNonNull(sentNonce, "sentNonce");
      Objects.requireNonNull(ackedVersion, "ackedVersion");
      Objects.requireNonNull(ackedNonce, "ackedNonce");
      Objects.requireNonNull(lastNack, "lastNack");
    }
  }

  /** A refused response: its version and nonce, and the proxy's reason ({@code error_detail.message}). */
  public record Nack(String version, String nonce, String message, Instant time) {
    public Nack {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(nonce, "nonce");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(time, "time");
    }
  }

  /** The status of one type, e.g. {@code type("CDS")}. */
  public Optional<TypeStatus> type(String type) {
    return types.stream().filter(t -> t.type().equals(type)).findFirst();
  }
}
