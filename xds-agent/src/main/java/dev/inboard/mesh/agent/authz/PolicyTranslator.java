package dev.inboard.mesh.agent.authz;

import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the rules of one policy into named RBAC policies, collecting what had to be skipped and why. */
final class PolicyTranslator {
  private static final Logger log = LoggerFactory.getLogger(PolicyTranslator.class);

  /** Matches nothing: what a policy without rules becomes, so an ALLOW policy {@code spec: {}} denies everything. */
  static final Policy MATCH_NEVER = Policy.newBuilder()
      .addPermissions(RbacMatchers.permissionNot(RbacMatchers.permissionAny()))
      .addPrincipals(RbacMatchers.principalNot(RbacMatchers.principalAny()))
      .build();

  /** Names an RBAC policy after the rule it comes from. */
  interface Naming {
    String name(AuthzPolicy policy, int ruleIndex);
  }

  /** Sidecar names: {@code ns[foo]-policy[httpbin]-rule[0]}, after {@code prefix}. */
  static Naming sidecar(String prefix) {
    return (policy, i) -> prefix + "ns[" + policy.namespace() + "]-policy[" + policy.name() + "]-rule[" + i + "]";
  }

  /** Proxyless gRPC names: {@code foo-httpbin-0}. */
  static Naming grpc() {
    return (policy, i) -> policy.namespace() + "-" + policy.name() + "-" + i;
  }

  private final @Nullable TrustDomainBundle trustDomains;
  private final boolean useAuthenticated;
  private final Set<String> warnings = new LinkedHashSet<>();

  /**
   * @param trustDomains expands source principals to every trust domain; null leaves them as written
   */
  PolicyTranslator(@Nullable TrustDomainBundle trustDomains, boolean useAuthenticated) {
    this.trustDomains = trustDomains;
    this.useAuthenticated = useAuthenticated;
  }

  /**
   * Adds one RBAC policy per usable rule of {@code policy} to {@code target}. A rule that names an unknown attribute,
   * or that cannot be generated for this action (see {@link RuleModel#generate}), is left out.
   *
   * @param matchNeverWhenEmpty add {@link #MATCH_NEVER} for a policy without rules (sidecars), rather than nothing
   * @param failedRuleMatchesNothing keep a rule that was left out as {@link #MATCH_NEVER} under its name, so the
   *     filter still exists; for gRPC ALLOW rules, where a filter without policies would not be sent at all
   */
  void translate(AuthzPolicy policy, Naming naming, boolean forTcp, RBAC.Action action, boolean matchNeverWhenEmpty,
      boolean failedRuleMatchesNothing, RBAC.Builder target) {
    List<Rule> rules = policy.spec().getRules() == null ? List.of() : policy.spec().getRules();
    for (int i = 0; i < rules.size(); i++) {
      String name = naming.name(policy, i);
      Rule rule = rules.get(i);
      if (rule == null) {
        warn(policy + ": skipped rule " + name + ": rule is null");
        continue;
      }
      RuleModel model;
      try {
        model = RuleModel.of(policy.namespace(), rule);
      } catch (RuleException e) {
        warn(policy + ": skipped invalid rule " + name + ": " + e.getMessage());
        if (failedRuleMatchesNothing) {
          target.putPolicies(name, MATCH_NEVER);
        }
        continue;
      }
      if (trustDomains != null) {
        model = model.withTrustDomains(trustDomains);
      }
      try {
        target.putPolicies(name, model.generate(forTcp, useAuthenticated, action, problem -> {
          if (!forTcp) {
            // On TCP, HTTP-only values are dropped by design; invalid values were already reported for HTTP.
            warn(policy + ": rule " + name + " ignores a value: " + problem);
          }
        }));
      } catch (RuleException e) {
        String where = forTcp ? "TCP" : "HTTP";
        if (forTcp) {
          // An ALLOW rule using HTTP-only fields cannot be enforced on a TCP filter chain; leaving it out is the intent.
          log.debug("{}: left out rule {} on the {} filter chain: {}", policy, name, where, e.getMessage());
        } else {
          warn(policy + ": skipped rule " + name + ": " + e.getMessage());
        }
        if (failedRuleMatchesNothing) {
          target.putPolicies(name, MATCH_NEVER);
        }
      }
    }
    if (rules.isEmpty() && matchNeverWhenEmpty) {
      target.putPolicies(naming.name(policy, 0), MATCH_NEVER);
    }
  }

  /**
   * The {@code istio.io/dry-run} annotation: true/false in the spellings Go's ParseBool takes; anything else is a
   * warning and means false.
   */
  boolean dryRun(AuthzPolicy policy) {
    String value = policy.annotations().get(AuthzPolicy.DRY_RUN_ANNOTATION);
    if (value == null) {
      return false;
    }
    switch (value) {
      case "1", "t", "T", "TRUE", "true", "True":
        return true;
      case "0", "f", "F", "FALSE", "false", "False":
        return false;
      default:
        warn(policy + ": annotation " + AuthzPolicy.DRY_RUN_ANNOTATION + " must be true or false, was \"" + value
            + "\"; treated as false");
        return false;
    }
  }

  void warn(String message) {
    if (warnings.add(message)) {
      log.debug("{}", message);
    }
  }

  Set<String> warnings() {
    return warnings;
  }
}
