package dev.inboard.mesh.inbound;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request passing the inbound chain, from {@link InboundChain#begin} to {@link #complete}: the request, what the
 * chain decided, and attributes stages leave for later stages. An adapter sends {@link #rejection()} when present,
 * else hands the request to the application, and calls {@link #complete} once the response has gone.
 */
public final class InboundExchange {
  private final InboundChain chain;
  private final InboundRequest request;
  private final long startNanos;
  private final Map<Key<?>, Object> attributes = new ConcurrentHashMap<>();
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile Optional<InboundResponse> rejection = Optional.empty();
  private volatile Optional<InboundPhase> rejectedIn = Optional.empty();

  InboundExchange(InboundChain chain, InboundRequest request, long startNanos) {
    this.chain = chain;
    this.request = request;
    this.startNanos = startNanos;
  }

  public InboundRequest request() {
    return request;
  }

  /** The response a stage answered with; empty when the request goes on to the application. */
  public Optional<InboundResponse> rejection() {
    return rejection;
  }

  /** The phase of the stage that rejected the request, if one did. */
  public Optional<InboundPhase> rejectedIn() {
    return rejectedIn;
  }

  void reject(InboundPhase phase, InboundResponse response) {
    rejectedIn = Optional.of(phase);
    rejection = Optional.of(response);
  }

  /** What a stage left under {@code key}, e.g. the peer identity for authorization. */
  public <T> Optional<T> attribute(Key<T> key) {
    return Optional.ofNullable(attributes.get(key)).map(key.type()::cast);
  }

  /** Leaves a value for later stages (and for {@link InboundHttpStage#onComplete}). */
  public <T> void setAttribute(Key<T> key, T value) {
    attributes.put(key, key.type().cast(Objects.requireNonNull(value, "value")));
  }

  /**
   * Ends the exchange: every stage of the chain is told the status the peer received and how long the exchange took.
   * Only the first call counts.
   *
   * @return whether this call completed the exchange
   */
  public boolean complete(int status) {
    if (!completed.compareAndSet(false, true)) {
      return false;
    }
    Duration duration = Duration.ofNanos(Math.max(0, chain.clock().nanoTime() - startNanos));
    chain.completed(this, new InboundCompletion(status, duration, rejectedIn));
    return true;
  }

  public boolean isComplete() {
    return completed.get();
  }

  /**
   * A typed attribute name; keys are equal when name and type are.
   *
   * @param name what the value is, e.g. {@code peer-identity}
   * @param type the value's class
   */
  public record Key<T>(String name, Class<T> type) {
    public Key {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    public static <T> Key<T> of(String name, Class<T> type) {
      return new Key<>(name, type);
    }
  }
}
