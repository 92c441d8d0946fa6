package dev.inboard.mesh.agent.authz;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * CUSTOM policies: per provider, an RBAC filter whose shadow rules (never enforced) record which policy matched, and
 * the provider's ext_authz filter, enabled only for requests one of those policies matched. When the provider cannot
 * be used, the same rules become a real DENY so the request is refused rather than let through unchecked.
 */
final class CustomFilters {
  static final String BAD_CUSTOM_SUFFIX = "-deny-due-to-bad-CUSTOM-action";
  static final String SHADOW_STAT_PREFIX = "istio_ext_authz_";

  private final List<AuthzPolicy> policies;
  private final RbacSettings settings;
  private final PolicyTranslator translator;
  private final ExtAuthzProviders providers;

  CustomFilters(List<AuthzPolicy> policies, RbacSettings settings, PolicyTranslator translator) {
    this.policies = policies;
    this.settings = settings;
    this.translator = translator;
    this.providers = new ExtAuthzProviders(settings.extensionProviders(), settings.services());
  }

  List<HttpFilter> http() {
    List<HttpFilter> out = new ArrayList<>();
    SortedMap<String, RBAC> byProvider = rulesByProvider(false);
    if (!providersUsable(byProvider)) {
      byProvider.values().forEach(rules -> out.add(RbacFilterBuilder.httpFilter(RbacFilterBuilder.HTTP_RBAC,
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(denyInstead(rules)).build())));
      return out;
    }
    for (Map.Entry<String, RBAC> e : byProvider.entrySet()) {
      ExtAuthzProviders.Configs configs;
      try {
        configs = providers.lookup(e.getKey(), RbacFilterBuilder.HTTP_RBAC, RbacFilterBuilder.NETWORK_RBAC);
      } catch (RuleException ex) {
        translator.warn("CUSTOM policies of provider \"" + e.getKey() + "\" deny every request they match: "
            + ex.getMessage());
        out.add(RbacFilterBuilder.httpFilter(RbacFilterBuilder.HTTP_RBAC,
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
                .setRules(denyInstead(e.getValue())).build()));
        continue;
      }
      out.add(RbacFilterBuilder.httpFilter(RbacFilterBuilder.HTTP_RBAC,
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
              .setShadowRules(e.getValue()).setShadowRulesStatPrefix(SHADOW_STAT_PREFIX).build()));
      out.add(HttpFilter.newBuilder().setName(RbacFilterBuilder.HTTP_EXT_AUTHZ)
          .setTypedConfig(Any.pack(configs.http())).build());
    }
    return out;
  }

  List<Filter> tcp() {
    List<Filter> out = new ArrayList<>();
    SortedMap<String, RBAC> byProvider = rulesByProvider(true);
    if (!providersUsable(byProvider)) {
      byProvider.values().forEach(rules -> out.add(RbacFilterBuilder.networkFilter(RbacFilterBuilder.NETWORK_RBAC,
          networkRbac().setRules(denyInstead(rules)).build())));
      return out;
    }
    for (Map.Entry<String, RBAC> e : byProvider.entrySet()) {
      ExtAuthzProviders.Configs configs;
      try {
        configs = providers.lookup(e.getKey(), RbacFilterBuilder.HTTP_RBAC, RbacFilterBuilder.NETWORK_RBAC);
      } catch (RuleException ex) {
        translator.warn("CUSTOM policies of provider \"" + e.getKey() + "\" deny every request they match: "
            + ex.getMessage());
        out.add(RbacFilterBuilder.networkFilter(RbacFilterBuilder.NETWORK_RBAC,
            networkRbac().setRules(denyInstead(e.getValue())).build()));
        continue;
      }
      if (configs.tcp() == null) {
        // An HTTP authorization server cannot check a TCP connection; the policy only applies to HTTP traffic.
        continue;
      }
      out.add(RbacFilterBuilder.networkFilter(RbacFilterBuilder.NETWORK_RBAC,
          networkRbac().setShadowRules(e.getValue()).setShadowRulesStatPrefix(SHADOW_STAT_PREFIX).build()));
      out.add(Filter.newBuilder().setName(RbacFilterBuilder.NETWORK_EXT_AUTHZ)
          .setTypedConfig(Any.pack(configs.tcp())).build());
    }
    return out;
  }

  private static io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.Builder networkRbac() {
    return io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
        .setStatPrefix(RbacFilterBuilder.TCP_STAT_PREFIX);
  }

  /** One provider per workload unless several are enabled; otherwise every provider's rules must deny. */
  private boolean providersUsable(SortedMap<String, RBAC> byProvider) {
    if (byProvider.size() > 1 && !settings.multipleCustomProviders()) {
      translator.warn("CUSTOM policies name several providers " + byProvider.keySet()
          + " for one workload, which needs multipleCustomProviders; every CUSTOM rule denies the requests it matches");
      return false;
    }
    return true;
  }

  /**
   * The rules of each provider's policies, keyed {@code istio-ext-authz-<provider>-ns[..]-policy[..]-rule[..]} so
   * ext_authz can tell whose policy matched. Dry-run CUSTOM policies are left out: CUSTOM already uses the shadow
   * rules, so there is nowhere to evaluate them without enforcing them.
   */
  private SortedMap<String, RBAC> rulesByProvider(boolean forTcp) {
    SortedMap<String, RBAC.Builder> builders = new TreeMap<>();
    for (AuthzPolicy policy : policies) {
      String provider = policy.providerName();
      RBAC.Builder rules = builders.computeIfAbsent(provider, p -> RBAC.newBuilder().setAction(RBAC.Action.DENY));
      if (translator.dryRun(policy)) {
        translator.warn(policy + ": dry-run is not supported for CUSTOM policies; the policy is not applied");
        continue;
      }
      PolicyTranslator.Naming naming = PolicyTranslator.sidecar(ExtAuthzProviders.policyPrefix(provider) + "-");
      translator.translate(policy, naming, forTcp, RBAC.Action.DENY, true, false, rules);
    }
    SortedMap<String, RBAC> out = new TreeMap<>();
    builders.forEach((provider, rules) -> out.put(provider, rules.build()));
    return out;
  }

  private static RBAC denyInstead(RBAC rules) {
    RBAC.Builder deny = RBAC.newBuilder().setAction(RBAC.Action.DENY);
    rules.getPoliciesMap().forEach((name, policy) -> deny.putPolicies(name + BAD_CUSTOM_SUFFIX, policy));
    return deny.build();
  }
}
