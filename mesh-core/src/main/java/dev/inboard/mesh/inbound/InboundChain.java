package dev.inboard.mesh.inbound;

import dev.inboard.mesh.clock.MeshClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound chain for HTTP: its stages in phase order ({@code PEER_IDENTITY}, {@code AUTHORIZATION},
 * {@code TELEMETRY}; stages of one phase in the order added). Server adapters translate their request into an
 * {@link InboundRequest}, call {@link #begin}, and either send the rejection or run the application; immutable and
 * shared by every request.
 *
 * <pre>{@code
 * InboundChain chain = InboundChain.builder().add(peerIdentity).add(authorization).build();
 * InboundExchange exchange = chain.begin(request);
 * exchange.rejection().ifPresentOrElse(this::send, this::runApplication);
 * exchange.complete(status);
 * }</pre>
 *
 * <p>A stage that throws is a fault in the stage: the request is answered with 500 (never let through unchecked) and
 * the fault is logged. A stage that throws when told of completion is logged and the other stages are still told.
 */
public final class InboundChain {
  private static final Logger log = LoggerFactory.getLogger(InboundChain.class);
  /** The body of the 500 answered when a stage throws. */
  static final String STAGE_FAILED_BODY = "inbound stage failed";

  private final List<InboundHttpStage> stages;
  private final MeshClock clock;

  private InboundChain(List<InboundHttpStage> stages, MeshClock clock) {
    this.stages = List.copyOf(stages);
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The stages in the order they see a request. */
  public List<InboundHttpStage> stages() {
    return stages;
  }

  MeshClock clock() {
    return clock;
  }

  /** Runs the stages over {@code request} until one rejects it or all have proceeded. */
  public InboundExchange begin(InboundRequest request) {
    InboundExchange exchange = new InboundExchange(this, Objects.requireNonNull(request, "request"), clock.nanoTime());
    for (InboundHttpStage stage : stages) {
      InboundVerdict verdict;
      try {
        verdict = Objects.requireNonNull(stage.onRequest(exchange), "verdict");
      } catch (RuntimeException e) {
        log.error("inbound stage {} ({}) failed on {} {}; answering 500", stage.getClass().getName(), stage.phase(),
            request.method(), request.pathOnly(), e);
        exchange.reject(stage.phase(), InboundResponse.text(500, STAGE_FAILED_BODY));
        break;
      }
      if (verdict instanceof InboundVerdict.Reject reject) {
        exchange.reject(stage.phase(), reject.response());
        break;
      }
    }
    return exchange;
  }

  void completed(InboundExchange exchange, InboundCompletion completion) {
    for (InboundHttpStage stage : stages) {
      try {
        stage.onComplete(exchange, completion);
      } catch (RuntimeException e) {
        log.warn("inbound stage {} ({}) failed when told of completion", stage.getClass().getName(), stage.phase(), e);
      }
    }
  }

  /** Collects stages; {@link #build} orders them by phase. */
  public static final class Builder {
    private final List<InboundHttpStage> stages = new ArrayList<>();
    private MeshClock clock = MeshClock.system();

    private Builder() {}

    public Builder add(InboundHttpStage stage) {
      stages.add(Objects.requireNonNull(stage, "stage"));
      return this;
    }

    public Builder addAll(Iterable<? extends InboundHttpStage> more) {
      more.forEach(this::add);
      return this;
    }

    /** The clock exchanges are timed on; the system clock unless set. */
    public Builder clock(MeshClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public InboundChain build() {
      List<InboundHttpStage> ordered = new ArrayList<>(stages);
      ordered.sort(Comparator.comparing(InboundHttpStage::phase)); // stable: one phase keeps the order added
      return new InboundChain(ordered, clock);
    }
  }
}
