package dev.inboard.mesh.agent.authz;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The authorization filters istiod puts on a workload's inbound listeners for the AuthorizationPolicies that apply
 * to it (pick them with {@link PolicySelector}).
 *
 * <p>Sidecar shape ({@link #RbacFilterBuilder(List, RbacSettings)}): CUSTOM policies first, as an RBAC filter in
 * shadow mode plus the provider's ext_authz filter; then one RBAC filter per action in the order AUDIT (Envoy action
 * LOG), DENY, ALLOW. Each rule is one RBAC policy named {@code ns[<ns>]-policy[<name>]-rule[<i>]}; a policy without
 * rules matches nothing; {@code istio.io/dry-run: "true"} policies go to the shadow rules. On a TCP filter chain an
 * ALLOW rule that needs HTTP attributes is left out (allowing less) while DENY, AUDIT and CUSTOM rules drop just
 * those attributes (matching more).
 *
 * <p>Everything is computed when the builder is created; the build methods return the same immutable lists.
 */
public final class RbacFilterBuilder {
  public static final String HTTP_RBAC = "envoy.filters.http.rbac";
  public static final String NETWORK_RBAC = "envoy.filters.network.rbac";
  public static final String HTTP_EXT_AUTHZ = "envoy.filters.http.ext_authz";
  public static final String NETWORK_EXT_AUTHZ = "envoy.filters.network.ext_authz";
  /** The proxyless gRPC server's DENY filter; its ALLOW filter is {@link #HTTP_RBAC}. */
  public static final String GRPC_HTTP_RBAC_DENY = "envoy.filters.http.rbac.DENY";
  static final String TCP_STAT_PREFIX = "tcp.";
  static final String DRY_RUN_ALLOW_STAT_PREFIX = "istio_dry_run_allow_";
  static final String DRY_RUN_DENY_STAT_PREFIX = "istio_dry_run_deny_";

  private final List<HttpFilter> customHttp;
  private final List<HttpFilter> rbacHttp;
  private final List<Filter> customTcp;
  private final List<Filter> rbacTcp;
  private final List<String> warnings;

  /**
   * @param policies the policies that apply to the workload, in istiod's order (root namespace first)
   */
  public RbacFilterBuilder(List<AuthzPolicy> policies, RbacSettings settings) {
    Objects.requireNonNull(settings, "settings");
    List<AuthzPolicy> audit = withAction(policies, AuthorizationPolicyAction.AUDIT);
    List<AuthzPolicy> deny = withAction(policies, AuthorizationPolicyAction.DENY);
    List<AuthzPolicy> allow = withAction(policies, AuthorizationPolicyAction.ALLOW);
    List<AuthzPolicy> custom = withAction(policies, AuthorizationPolicyAction.CUSTOM);
    PolicyTranslator translator = new PolicyTranslator(settings.trustDomains(), !settings.useFilterState());

    CustomFilters customFilters = new CustomFilters(custom, settings, translator);
    this.customHttp = custom.isEmpty() ? List.of() : List.copyOf(customFilters.http());
    this.customTcp = custom.isEmpty() ? List.of() : List.copyOf(customFilters.tcp());

    List<HttpFilter> http = new ArrayList<>();
    List<Filter> tcp = new ArrayList<>();
    addRbac(audit, RBAC.Action.LOG, translator, http, tcp);
    addRbac(deny, RBAC.Action.DENY, translator, http, tcp);
    addRbac(allow, RBAC.Action.ALLOW, translator, http, tcp);
    this.rbacHttp = List.copyOf(http);
    this.rbacTcp = List.copyOf(tcp);
    this.warnings = List.copyOf(translator.warnings());
  }

  /** All HTTP filters in order: {@link #buildHttpCustom()} then {@link #buildHttpRbac()}. */
  public List<HttpFilter> buildHttp() {
    List<HttpFilter> all = new ArrayList<>(customHttp);
    all.addAll(rbacHttp);
    return List.copyOf(all);
  }

  /**
   * The CUSTOM part (RBAC shadow + ext_authz per provider). istiod puts it before the authentication filters, which
   * in turn precede {@link #buildHttpRbac()}.
   */
  public List<HttpFilter> buildHttpCustom() {
    return customHttp;
  }

  /** The AUDIT, DENY and ALLOW RBAC filters, in that order. */
  public List<HttpFilter> buildHttpRbac() {
    return rbacHttp;
  }

  /** All network filters in order: {@link #buildTcpCustom()} then {@link #buildTcpRbac()}. */
  public List<Filter> buildTcp() {
    List<Filter> all = new ArrayList<>(customTcp);
    all.addAll(rbacTcp);
    return List.copyOf(all);
  }

  /** The CUSTOM part on a TCP chain; empty for HTTP ext_authz providers, which cannot check a connection. */
  public List<Filter> buildTcpCustom() {
    return customTcp;
  }

  public List<Filter> buildTcpRbac() {
    return rbacTcp;
  }

  /** What was skipped or degraded and why (invalid rules, unusable providers, bad annotations); one line each. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The RBAC filters for a proxyless gRPC server: only DENY ({@value #GRPC_HTTP_RBAC_DENY}) and ALLOW
   * ({@value #HTTP_RBAC}) policies, since gRPC accepts no other action; rules named {@code <ns>-<name>-<i>}; no
   * dry-run, no trust domain aliases. A policy without rules adds nothing and a filter is only emitted when it has a
   * policy, so an ALLOW {@code spec: {}} leaves the server open where a sidecar would deny everything. An ALLOW rule
   * that cannot be generated stays as a policy matching nothing, so a broken ALLOW policy still closes the server.
   */
  public static List<HttpFilter> forGrpc(List<AuthzPolicy> policies) {
    PolicyTranslator translator = new PolicyTranslator(null, true);
    List<HttpFilter> out = new ArrayList<>();
    RBAC deny = grpcRules(withAction(policies, AuthorizationPolicyAction.DENY), RBAC.Action.DENY, translator);
    if (deny.getPoliciesCount() > 0) {
      out.add(httpFilter(GRPC_HTTP_RBAC_DENY,
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(deny).build()));
    }
    RBAC allow = grpcRules(withAction(policies, AuthorizationPolicyAction.ALLOW), RBAC.Action.ALLOW, translator);
    if (allow.getPoliciesCount() > 0) {
      out.add(httpFilter(HTTP_RBAC,
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(allow).build()));
    }
    return List.copyOf(out);
  }

  private static RBAC grpcRules(List<AuthzPolicy> policies, RBAC.Action action, PolicyTranslator translator) {
    RBAC.Builder rules = RBAC.newBuilder().setAction(action);
    for (AuthzPolicy policy : policies) {
      translator.translate(policy, PolicyTranslator.grpc(), false, action, false, action == RBAC.Action.ALLOW, rules);
    }
    return rules.build();
  }

  private static void addRbac(List<AuthzPolicy> policies, RBAC.Action action, PolicyTranslator translator,
      List<HttpFilter> http, List<Filter> tcp) {
    if (policies.isEmpty()) {
      return;
    }
    RbacPair forHttp = rbacPair(policies, action, false, translator);
    var httpRbac = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
        .setShadowRulesStatPrefix(forHttp.shadowStatPrefix());
    if (forHttp.rules() != null) {
      httpRbac.setRules(forHttp.rules());
    }
    if (forHttp.shadowRules() != null) {
      httpRbac.setShadowRules(forHttp.shadowRules());
    }
    http.add(httpFilter(HTTP_RBAC, httpRbac.build()));

    RbacPair forTcp = rbacPair(policies, action, true, translator);
    var tcpRbac = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
        .setStatPrefix(TCP_STAT_PREFIX).setShadowRulesStatPrefix(forTcp.shadowStatPrefix());
    if (forTcp.rules() != null) {
      tcpRbac.setRules(forTcp.rules());
    }
    if (forTcp.shadowRules() != null) {
      tcpRbac.setShadowRules(forTcp.shadowRules());
    }
    tcp.add(networkFilter(NETWORK_RBAC, tcpRbac.build()));
  }

  /** Enforced and dry-run rules of one action; either is null when no policy went there. */
  private record RbacPair(@Nullable RBAC rules,
      @Nullable RBAC shadowRules) {
    /** Stats of shadow rules are prefixed by what they would do; with no shadow rules the ALLOW prefix is kept. */
    String shadowStatPrefix() {
      RBAC.Action action = shadowRules == null ? RBAC.Action.ALLOW : shadowRules.getAction();
      return switch (action) {
        case ALLOW -> DRY_RUN_ALLOW_STAT_PREFIX;
        case DENY -> DRY_RUN_DENY_STAT_PREFIX;
        default -> "";
      };
    }
  }

  private static RbacPair rbacPair(List<AuthzPolicy> policies, RBAC.Action action, boolean forTcp,
      PolicyTranslator translator) {
    RBAC.Builder enforced = RBAC.newBuilder().setAction(action);
    RBAC.Builder dryRun = RBAC.newBuilder().setAction(action);
    boolean anyEnforced = false;
    boolean anyDryRun = false;
    PolicyTranslator.Naming naming = PolicyTranslator.sidecar("");
    for (AuthzPolicy policy : policies) {
      boolean isDryRun = translator.dryRun(policy);
      anyDryRun |= isDryRun;
      anyEnforced |= !isDryRun;
      translator.translate(policy, naming, forTcp, action, true, false, isDryRun ? dryRun : enforced);
    }
    return new RbacPair(anyEnforced ? enforced.build() : null, anyDryRun ? dryRun.build() : null);
  }

  private static List<AuthzPolicy> withAction(List<AuthzPolicy> policies, AuthorizationPolicyAction action) {
    return policies.stream().filter(p -> p.action() == action).toList();
  }

  static HttpFilter httpFilter(String name, Message config) {
    return HttpFilter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }

  static Filter networkFilter(String name, Message config) {
    return Filter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }
}
