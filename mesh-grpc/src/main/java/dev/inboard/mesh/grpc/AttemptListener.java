package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.resilience.Permit;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The listener of one upstream attempt of a mesh call. Streamed calls pass the response through as it comes; a
 * retriable (unary) call holds the response headers and message until the attempt is known final, so a retried
 * attempt leaves no trace downstream. The end of the attempt goes to the call, which retries or {@link #deliver}s.
 */
final class AttemptListener<RespT> extends ClientCall.Listener<RespT> {
  /** Told when the attempt ends. */
  interface Closed<RespT> {
    void closed(AttemptListener<RespT> attempt, Status status, Metadata trailers);
  }

  private final ClientCall.Listener<RespT> downstream;
  private final boolean passThrough;
  private final Closed<RespT> closed;
  private final Host host;
  private final Permit permit;
  private final @Nullable Deadline deadline;
  private final boolean perTryLimited;
  private final List<HeaderMutation> responseMutations;
  private @Nullable Metadata heldHeaders;
  private final List<RespT> heldMessages = new ArrayList<>(1);

  /**
   * @param host the endpoint of the attempt
   * @param permit the attempt's {@code max_requests} unit
   * @param deadline the attempt's deadline
   * @param perTryLimited whether that deadline is the per-try timeout (earlier than the request's)
   * @param responseMutations the route's response header mutations, applied to the response headers
   */
  AttemptListener(ClientCall.Listener<RespT> downstream, boolean passThrough, Closed<RespT> closed, Host host,
      Permit permit, @Nullable Deadline deadline, boolean perTryLimited, List<HeaderMutation> responseMutations) {
    this.downstream = downstream;
    this.passThrough = passThrough;
    this.closed = closed;
    this.host = host;
    this.permit = permit;
    this.deadline = deadline;
    this.perTryLimited = perTryLimited;
    this.responseMutations = responseMutations;
  }

  Host host() {
    return host;
  }

  Permit permit() {
    return permit;
  }

  @Nullable Deadline deadline() {
    return deadline;
  }

  boolean perTryLimited() {
    return perTryLimited;
  }

  @Override
  public void onHeaders(Metadata headers) {
    HeaderMutations.apply(responseMutations, headers);
    if (passThrough) {
      downstream.onHeaders(headers);
    } else {
      heldHeaders = headers;
    }
  }

  @Override
  public void onMessage(RespT message) {
    if (passThrough) {
      downstream.onMessage(message);
    } else {
      heldMessages.add(message);
    }
  }

  @Override
  public void onReady() {
    if (passThrough) {
      downstream.onReady();
    }
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    closed.closed(this, status, trailers);
  }

  /** Hands the final attempt's held response and its status downstream. */
  void deliver(Status status, Metadata trailers) {
    if (heldHeaders != null) {
      downstream.onHeaders(heldHeaders);
    }
    heldMessages.forEach(downstream::onMessage);
    downstream.onClose(status, trailers);
  }
}
