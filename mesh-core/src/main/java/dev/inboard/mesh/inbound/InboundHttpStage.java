package dev.inboard.mesh.inbound;

/**
 * One step of the inbound chain for HTTP, run by {@link InboundChain} in {@link InboundPhase} order. A stage holds no
 * transport types, so one stage serves every server adapter (servlet, WebFlux).
 *
 * <pre>{@code
 * InboundHttpStage denyAdmin = new InboundHttpStage() {
 *   public InboundPhase phase() { return InboundPhase.AUTHORIZATION; }
 *   public InboundVerdict onRequest(InboundExchange exchange) {
 *     return exchange.request().pathOnly().startsWith("/admin")
 *         ? InboundVerdict.reject(InboundResponse.rbacDenied()) : InboundVerdict.proceed();
 *   }
 * };
 * }</pre>
 */
public interface InboundHttpStage {

  /** Where in the chain this stage runs. */
  InboundPhase phase();

  /**
   * Looks at the request before the application does; stages of later phases run only when this one proceeds. A stage
   * may leave what it learnt for later stages in the exchange's attributes (e.g. the peer's identity).
   */
  InboundVerdict onRequest(InboundExchange exchange);

  /**
   * Told once when the exchange ends, whoever answered; every stage of the chain is told, including those after the
   * one that rejected the request, so that telemetry records denials too.
   */
  default void onComplete(InboundExchange exchange, InboundCompletion completion) {}
}
