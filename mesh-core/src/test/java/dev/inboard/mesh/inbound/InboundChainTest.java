package dev.inboard.mesh.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundChainTest {
  static final InboundRequest GET = InboundRequest.builder("GET", "/reviews/1?x=y").authority("reviews:9080").build();
  static final InboundExchange.Key<String> PEER = InboundExchange.Key.of("peer", String.class);

  final FakeClock clock = new FakeClock();
  final List<String> seen = new ArrayList<>();

  /** Records what it sees; rejects when {@code answer} is set. */
  private final class Recording implements InboundHttpStage {
    final String name;
    final InboundPhase phase;
    final Optional<InboundResponse> answer;

    Recording(String name, InboundPhase phase) {
      this(name, phase, Optional.empty());
    }

    Recording(String name, InboundPhase phase, Optional<InboundResponse> answer) {
      this.name = name;
      this.phase = phase;
      this.answer = answer;
    }

    @Override
    public InboundPhase phase() {
      return phase;
    }

    @Override
    public InboundVerdict onRequest(InboundExchange exchange) {
      seen.add(name);
      return answer.map(InboundVerdict::reject).orElse(InboundVerdict.proceed());
    }

    @Override
    public void onComplete(InboundExchange exchange, InboundCompletion completion) {
      seen.add(name + " done " + completion.status() + " in " + completion.duration().toMillis() + "ms"
          + completion.rejectedIn().map(p -> " rejected in " + p).orElse(""));
    }
  }

  @Test
  void stages_runInPhaseOrder_oneInTheOrderAdded_thenAllToldOfCompletion() {
    InboundChain chain = InboundChain.builder().clock(clock)
        .add(new Recording("telemetry", InboundPhase.TELEMETRY))
        .add(new Recording("authz", InboundPhase.AUTHORIZATION))
        .add(new Recording("peer", InboundPhase.PEER_IDENTITY))
        .add(new Recording("authz-2", InboundPhase.AUTHORIZATION))
        .build();

    assertThat(chain.stages()).extracting(InboundHttpStage::phase).containsExactly(InboundPhase.PEER_IDENTITY,
        InboundPhase.AUTHORIZATION, InboundPhase.AUTHORIZATION, InboundPhase.TELEMETRY);
    InboundExchange exchange = chain.begin(GET);
    assertThat(exchange.rejection()).isEmpty();
    assertThat(seen).containsExactly("peer", "authz", "authz-2", "telemetry");

    clock.forward(Duration.ofMillis(42));
    assertThat(exchange.complete(200)).isTrue();
    assertThat(exchange.complete(500)).isFalse();

    assertThat(seen.subList(4, seen.size())).containsExactly("peer done 200 in 42ms", "authz done 200 in 42ms",
        "authz-2 done 200 in 42ms", "telemetry done 200 in 42ms");
    assertThat(exchange.isComplete()).isTrue();
  }

  @Test
  void rejection_stopsTheChain_laterStagesStillToldOfCompletion() {
    InboundChain chain = InboundChain.builder().clock(clock)
        .add(new Recording("telemetry", InboundPhase.TELEMETRY))
        .add(new Recording("authz", InboundPhase.AUTHORIZATION, Optional.of(InboundResponse.rbacDenied())))
        .add(new Recording("peer", InboundPhase.PEER_IDENTITY))
        .add(new Recording("authz-2", InboundPhase.AUTHORIZATION))
        .build();

    InboundExchange exchange = chain.begin(GET);

    assertThat(seen).containsExactly("peer", "authz");
    InboundResponse denied = exchange.rejection().orElseThrow();
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("RBAC: access denied");
    assertThat(denied.headers().first("Content-Type")).isEqualTo("text/plain");
    assertThat(exchange.rejectedIn()).contains(InboundPhase.AUTHORIZATION);

    clock.forward(Duration.ofMillis(3));
    exchange.complete(403);
    assertThat(seen.subList(2, seen.size())).containsExactly(
        "peer done 403 in 3ms rejected in AUTHORIZATION", "authz done 403 in 3ms rejected in AUTHORIZATION",
        "authz-2 done 403 in 3ms rejected in AUTHORIZATION", "telemetry done 403 in 3ms rejected in AUTHORIZATION");
  }

  @Test
  void attributes_leftByAnEarlierPhase_areSeenByALaterOne() {
    InboundHttpStage peer = new InboundHttpStage() {
      @Override
      public InboundPhase phase() {
        return InboundPhase.PEER_IDENTITY;
      }

      @Override
      public InboundVerdict onRequest(InboundExchange exchange) {
        exchange.setAttribute(PEER, "spiffe://cluster.local/ns/default/sa/productpage");
        return InboundVerdict.proceed();
      }
    };
    InboundHttpStage authz = new InboundHttpStage() {
      @Override
      public InboundPhase phase() {
        return InboundPhase.AUTHORIZATION;
      }

      @Override
      public InboundVerdict onRequest(InboundExchange exchange) {
        return exchange.attribute(PEER).filter(p -> p.endsWith("/sa/productpage")).isPresent()
            ? InboundVerdict.proceed() : InboundVerdict.reject(InboundResponse.rbacDenied());
      }
    };

    assertThat(InboundChain.builder().add(authz).add(peer).build().begin(GET).rejection()).isEmpty();
    assertThat(InboundChain.builder().add(authz).build().begin(GET).rejection())
        .contains(InboundResponse.rbacDenied());
  }

  @Test
  void stageThatThrows_answers500_neverLetsTheRequestThrough() {
    InboundHttpStage broken = new InboundHttpStage() {
      @Override
      public InboundPhase phase() {
        return InboundPhase.AUTHORIZATION;
      }

      @Override
      public InboundVerdict onRequest(InboundExchange exchange) {
        throw new IllegalStateException("policy not compiled");
      }

      @Override
      public void onComplete(InboundExchange exchange, InboundCompletion completion) {
        throw new IllegalStateException("also broken");
      }
    };
    InboundChain chain = InboundChain.builder().clock(clock).add(broken)
        .add(new Recording("telemetry", InboundPhase.TELEMETRY)).build();

    InboundExchange exchange = chain.begin(GET);

    assertThat(exchange.rejection()).contains(InboundResponse.text(500, "inbound stage failed"));
    assertThat(exchange.rejectedIn()).contains(InboundPhase.AUTHORIZATION);
    assertThat(seen).isEmpty();
    exchange.complete(500);
    assertThat(seen).containsExactly("telemetry done 500 in 0ms rejected in AUTHORIZATION");
  }

  @Test
  void emptyChain_letsEverythingThrough() {
    InboundExchange exchange = InboundChain.builder().build().begin(GET);
    assertThat(exchange.rejection()).isEmpty();
    assertThat(exchange.complete(204)).isTrue();
  }

  @Test
  void request_defaultsAndPath() {
    assertThat(GET.scheme()).isEqualTo("http");
    assertThat(GET.pathOnly()).isEqualTo("/reviews/1");
    assertThat(GET.path()).isEqualTo("/reviews/1?x=y");
    assertThat(GET.peerAddress()).isEmpty();
    assertThat(GET.peerCertificate()).isEmpty();
  }
}
