package dev.inboard.mesh.spring;

import dev.inboard.mesh.inbound.InboundChain;
import dev.inboard.mesh.inbound.InboundCompletion;
import dev.inboard.mesh.inbound.InboundExchange;
import dev.inboard.mesh.inbound.InboundHttpStage;
import dev.inboard.mesh.inbound.InboundPhase;
import dev.inboard.mesh.inbound.InboundRequest;
import dev.inboard.mesh.inbound.InboundResponse;
import dev.inboard.mesh.inbound.InboundVerdict;
import dev.inboard.mesh.testing.FakeClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stages of every phase for adapter tests: each notes what it sees in {@link #seen}; the authorization stage denies
 * paths under {@code /admin} as Envoy's RBAC filter would; the telemetry stage notes completions in
 * {@link #completions} as {@code "<status> <path> in <ms>ms[ rejected in <phase>]"}.
 */
final class RecordingStages {
  final FakeClock clock = new FakeClock();
  final List<String> seen = new CopyOnWriteArrayList<>();
  final List<String> completions = new CopyOnWriteArrayList<>();
  final List<InboundRequest> requests = new CopyOnWriteArrayList<>();

  /** The three stages, added out of phase order. */
  List<InboundHttpStage> stages() {
    return List.of(new Telemetry(), new Authorization(), new PeerIdentity());
  }

  InboundChain chain() {
    return InboundChain.builder().clock(clock).addAll(stages()).build();
  }

  final class PeerIdentity implements InboundHttpStage {
    @Override
    public InboundPhase phase() {
      return InboundPhase.PEER_IDENTITY;
    }

    @Override
    public InboundVerdict onRequest(InboundExchange exchange) {
      requests.add(exchange.request());
      seen.add("peer " + exchange.request().pathOnly());
      return InboundVerdict.proceed();
    }
  }

  final class Authorization implements InboundHttpStage {
    @Override
    public InboundPhase phase() {
      return InboundPhase.AUTHORIZATION;
    }

    @Override
    public InboundVerdict onRequest(InboundExchange exchange) {
      seen.add("authz " + exchange.request().pathOnly());
      return exchange.request().pathOnly().startsWith("/admin")
          ? InboundVerdict.reject(InboundResponse.rbacDenied())
          : InboundVerdict.proceed();
    }
  }

  final class Telemetry implements InboundHttpStage {
    @Override
    public InboundPhase phase() {
      return InboundPhase.TELEMETRY;
    }

    @Override
    public InboundVerdict onRequest(InboundExchange exchange) {
      seen.add("telemetry " + exchange.request().pathOnly());
      return InboundVerdict.proceed();
    }

    @Override
    public void onComplete(InboundExchange exchange, InboundCompletion completion) {
      completions.add(completion.status() + " " + exchange.request().pathOnly() + " in "
          + completion.duration().toMillis() + "ms"
          + completion.rejectedIn().map(phase -> " rejected in " + phase).orElse(""));
    }
  }
}
