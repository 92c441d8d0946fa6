package dev.inboard.mesh.agent.authz;

import static dev.inboard.mesh.agent.authz.RbacMatchers.permissionAnd;
import static dev.inboard.mesh.agent.authz.RbacMatchers.permissionAny;
import static dev.inboard.mesh.agent.authz.RbacMatchers.permissionNot;
import static dev.inboard.mesh.agent.authz.RbacMatchers.permissionOr;
import static dev.inboard.mesh.agent.authz.RbacMatchers.principalAnd;
import static dev.inboard.mesh.agent.authz.RbacMatchers.principalAny;
import static dev.inboard.mesh.agent.authz.RbacMatchers.principalNot;
import static dev.inboard.mesh.agent.authz.RbacMatchers.principalOr;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.fabric8.istio.api.api.security.v1beta1.Condition;
import io.fabric8.istio.api.api.security.v1beta1.Operation;
import io.fabric8.istio.api.api.security.v1beta1.Rule;
import io.fabric8.istio.api.api.security.v1beta1.RuleFrom;
import io.fabric8.istio.api.api.security.v1beta1.RuleTo;
import io.fabric8.istio.api.api.security.v1beta1.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One rule of an AuthorizationPolicy rearranged the way Envoy's RBAC policy is shaped: each {@code to} becomes one
 * permission (the rule's destination-side {@code when} conditions appended to it) and each {@code from} one principal
 * (the source-side conditions appended). Within one permission or principal the fields are ANDed, in a fixed order;
 * the values of one field are ORed.
 */
final class RuleModel {
  /** The values of one attribute; {@code notValues} are matched negated. */
  record Entry(Attribute attribute, String key, List<String> values, List<String> notValues) {
    Entry {
      values = List.copyOf(values);
      notValues = List.copyOf(notValues);
    }
  }

  private final String namespace;
  private final List<List<Entry>> permissions;
  private final List<List<Entry>> principals;

  private RuleModel(String namespace, List<List<Entry>> permissions, List<List<Entry>> principals) {
    this.namespace = namespace;
    this.permissions = permissions;
    this.principals = principals;
  }

  /** Fails on a {@code when} key that names no known attribute. */
  static RuleModel of(String policyNamespace, Rule rule) throws RuleException {
    List<Entry> basePermission = new ArrayList<>();
    List<Entry> basePrincipal = new ArrayList<>();
    for (Condition when : nonNull(rule.getWhen())) {
      String key = when.getKey() == null ? "" : when.getKey();
      Attribute attribute = whenAttribute(key);
      List<Entry> target = isPermission(attribute) ? basePermission : basePrincipal;
      add(target, target.size(), attribute, key, when.getValues(), when.getNotValues());
    }

    List<List<Entry>> principals = new ArrayList<>();
    for (RuleFrom from : orEmpty(rule.getFrom())) {
      List<Entry> merged = new ArrayList<>(basePrincipal);
      Source s = from == null ? null : from.getSource();
      if (s != null) {
        add(merged, 0, Attribute.SOURCE_IP, "source.ip", s.getIpBlocks(), s.getNotIpBlocks());
        add(merged, 0, Attribute.REMOTE_IP, "remote.ip", s.getRemoteIpBlocks(), s.getNotRemoteIpBlocks());
        add(merged, 0, Attribute.SOURCE_NAMESPACE, "source.namespace", s.getNamespaces(), s.getNotNamespaces());
        add(merged, 0, Attribute.SOURCE_SERVICE_ACCOUNT, "source.serviceAccount",
            s.getServiceAccounts(), s.getNotServiceAccounts());
        add(merged, 0, Attribute.REQUEST_PRINCIPAL, "request.auth.principal",
            s.getRequestPrincipals(), s.getNotRequestPrincipals());
        add(merged, 0, Attribute.SOURCE_PRINCIPAL, "source.principal", s.getPrincipals(), s.getNotPrincipals());
      }
      principals.add(merged);
    }
    if (principals.isEmpty()) {
      principals.add(basePrincipal);
    }

    List<List<Entry>> permissions = new ArrayList<>();
    for (RuleTo to : orEmpty(rule.getTo())) {
      List<Entry> merged = new ArrayList<>(basePermission);
      Operation o = to == null ? null : to.getOperation();
      if (o != null) {
        add(merged, 0, Attribute.DESTINATION_PORT, "destination.port", o.getPorts(), o.getNotPorts());
        add(merged, 0, Attribute.PATH, "path-matcher", o.getPaths(), o.getNotPaths());
        add(merged, 0, Attribute.METHOD, ":method", o.getMethods(), o.getNotMethods());
        add(merged, 0, Attribute.HOST, ":authority", o.getHosts(), o.getNotHosts());
      }
      permissions.add(merged);
    }
    if (permissions.isEmpty()) {
      permissions.add(basePermission);
    }
    return new RuleModel(policyNamespace, permissions, principals);
  }

  private static Attribute whenAttribute(String key) throws RuleException {
    switch (key) {
      case "destination.ip": return Attribute.DESTINATION_IP;
      case "destination.port": return Attribute.DESTINATION_PORT;
      case "connection.sni": return Attribute.CONNECTION_SNI;
      case "source.ip": return Attribute.SOURCE_IP;
      case "remote.ip": return Attribute.REMOTE_IP;
      case "source.namespace": return Attribute.SOURCE_NAMESPACE;
      case "source.serviceAccount": return Attribute.SOURCE_SERVICE_ACCOUNT;
      case "source.principal": return Attribute.SOURCE_PRINCIPAL;
      case "request.auth.principal": return Attribute.REQUEST_PRINCIPAL;
      case "request.auth.audiences": return Attribute.REQUEST_AUDIENCES;
      case "request.auth.presenter": return Attribute.REQUEST_PRESENTER;
      default: break;
    }
    if (key.startsWith("experimental.envoy.filters.")) {
      return Attribute.ENVOY_FILTER_METADATA;
    }
    if (key.startsWith("request.headers")) {
      return Attribute.REQUEST_HEADER;
    }
    if (key.startsWith("request.experimental.inline.headers")) {
      return Attribute.REQUEST_INLINE_HEADER;
    }
    if (key.startsWith("request.auth.claims")) {
      return Attribute.REQUEST_CLAIM;
    }
    throw new RuleException("unknown attribute " + key);
  }

  private static boolean isPermission(Attribute attribute) {
    return switch (attribute) {
      case DESTINATION_IP, DESTINATION_PORT, CONNECTION_SNI, ENVOY_FILTER_METADATA -> true;
      default -> false;
    };
  }

  private static void add(List<Entry> target, int index, Attribute attribute, String key,
      @Nullable List<String> values, @Nullable List<String> notValues) {
    List<String> v = nonNull(values);
    List<String> nv = nonNull(notValues);
    if (v.isEmpty() && nv.isEmpty()) {
      return;
    }
    target.add(index, new Entry(attribute, key, v, nv));
  }

  private static <T> List<@Nullable T> orEmpty(@Nullable List<@Nullable T> list) {
    return list == null ? List.of() : list;
  }

  private static <T> List<T> nonNull(@Nullable List<T> list) {
    if (list == null) {
      return List.of();
    }
    List<T> out = new ArrayList<>(list.size());
    for (T t : list) {
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** The same rule with every source principal written for each trust domain of the bundle. */
  RuleModel withTrustDomains(TrustDomainBundle bundle) {
    List<List<Entry>> migrated = new ArrayList<>(principals.size());
    for (List<Entry> principal : principals) {
      List<Entry> entries = new ArrayList<>(principal.size());
      for (Entry e : principal) {
        if (e.attribute() == Attribute.SOURCE_PRINCIPAL) {
          e = new Entry(e.attribute(), e.key(), bundle.expand(e.values()), bundle.expand(e.notValues()));
        }
        entries.add(e);
      }
      migrated.add(entries);
    }
    return new RuleModel(namespace, permissions, migrated);
  }

  /**
   * The Envoy policy for this rule. A value that cannot be expressed (invalid, or HTTP-only on a TCP filter) fails
   * the whole rule of an ALLOW policy, so it allows less; for the other actions the value is left out, which makes a
   * DENY or AUDIT rule match more; {@code dropped} hears about each such value.
   */
  Policy generate(boolean forTcp, boolean useAuthenticated, RBAC.Action action, Consumer<String> dropped)
      throws RuleException {
    Tolerance tolerance = new Tolerance(action, dropped);
    Policy.Builder policy = Policy.newBuilder();
    for (List<Entry> entries : permissions) {
      List<Permission> and = new ArrayList<>();
      for (Entry e : entries) {
        permissions(e, forTcp, tolerance, and);
      }
      policy.addPermissions(permissionAnd(and.isEmpty() ? List.of(permissionAny()) : and));
    }
    for (List<Entry> entries : principals) {
      List<Principal> and = new ArrayList<>();
      for (Entry e : entries) {
        principals(e, forTcp, useAuthenticated, tolerance, and);
      }
      policy.addPrincipals(principalAnd(and.isEmpty() ? List.of(principalAny()) : and));
    }
    return policy.build();
  }

  private void permissions(Entry e, boolean forTcp, Tolerance tolerance, List<Permission> out) throws RuleException {
    if (e.attribute().extended()) {
      if (!e.values().isEmpty()) {
        Permission p = tolerance.tolerate(() -> e.attribute().extendedPermission(e.key(), e.values(), forTcp));
        if (p != null) {
          out.add(p);
        }
      }
      if (!e.notValues().isEmpty()) {
        Permission p = tolerance.tolerate(() -> e.attribute().extendedPermission(e.key(), e.notValues(), forTcp));
        if (p != null) {
          out.add(permissionNot(p));
        }
      }
      return;
    }
    List<Permission> or = new ArrayList<>();
    for (String value : e.values()) {
      addIfPresent(or, tolerance.tolerate(() -> e.attribute().permission(e.key(), value, forTcp)));
    }
    if (!or.isEmpty()) {
      out.add(permissionOr(or));
    }
    List<Permission> notOr = new ArrayList<>();
    for (String value : e.notValues()) {
      addIfPresent(notOr, tolerance.tolerate(() -> e.attribute().permission(e.key(), value, forTcp)));
    }
    if (!notOr.isEmpty()) {
      out.add(permissionNot(permissionOr(notOr)));
    }
  }

  private void principals(Entry e, boolean forTcp, boolean useAuthenticated, Tolerance tolerance,
      List<Principal> out)
      throws RuleException {
    if (e.attribute().extended()) {
      if (!e.values().isEmpty()) {
        Principal p = tolerance.tolerate(() -> e.attribute().extendedPrincipal(e.key(), e.values(), forTcp));
        if (p != null) {
          out.add(p);
        }
      }
      if (!e.notValues().isEmpty()) {
        Principal p = tolerance.tolerate(() -> e.attribute().extendedPrincipal(e.key(), e.notValues(), forTcp));
        if (p != null) {
          out.add(principalNot(p));
        }
      }
      return;
    }
    List<Principal> or = new ArrayList<>();
    for (String value : e.values()) {
      addIfPresent(or, tolerance.tolerate(
          () -> e.attribute().principal(e.key(), value, forTcp, useAuthenticated, namespace)));
    }
    if (!or.isEmpty()) {
      out.add(principalOr(or));
    }
    List<Principal> notOr = new ArrayList<>();
    for (String value : e.notValues()) {
      addIfPresent(notOr, tolerance.tolerate(
          () -> e.attribute().principal(e.key(), value, forTcp, useAuthenticated, namespace)));
    }
    if (!notOr.isEmpty()) {
      out.add(principalNot(principalOr(notOr)));
    }
  }

  private static <T> void addIfPresent(List<T> list, @Nullable T value) {
    if (value != null) {
      list.add(value);
    }
  }

  private interface Generation<T> {
    @Nullable T get() throws RuleException;
  }

  /** ALLOW rules fail on a bad value; other actions drop the value and say so. */
  private record Tolerance(RBAC.Action action, Consumer<String> dropped) {
    <T> @Nullable T tolerate(Generation<T> generation) throws RuleException {
      try {
        return generation.get();
      } catch (RuleException e) {
        if (action == RBAC.Action.ALLOW) {
          throw e;
        }
        dropped.accept(e.getMessage());
        return null;
      }
    }
  }
}
