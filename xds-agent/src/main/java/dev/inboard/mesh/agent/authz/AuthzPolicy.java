package dev.inboard.mesh.agent.authz;

import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicy;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyProvider;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;

/**
 * One AuthorizationPolicy as the builder needs it: where it lives, its annotations ({@code istio.io/dry-run}) and its
 * spec, which is the same for {@code security.istio.io/v1} and {@code v1beta1}.
 *
 * <p>The spec is fabric8's mutable model object; treat it as read-only once wrapped.
 */
public record AuthzPolicy(String namespace, String name, Map<String, String> annotations, AuthorizationPolicy spec) {
  public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";

  public AuthzPolicy {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("AuthorizationPolicy '" + name + "': namespace must not be empty");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("AuthorizationPolicy in namespace '" + namespace + "': name must not be empty");
    }
    annotations = Map.copyOf(annotations);
  }

  /** A policy as the config loader read it. */
  public static AuthzPolicy of(dev.inboard.mesh.agent.config.ConfigResource<AuthorizationPolicy> resource) {
    return new AuthzPolicy(resource.namespace(), resource.name(), resource.annotations(), resource.spec());
  }

  public static AuthzPolicy of(io.fabric8.istio.api.security.v1.AuthorizationPolicy resource) {
    return of(resource.getMetadata(), resource.getSpec());
  }

  public static AuthzPolicy of(io.fabric8.istio.api.security.v1beta1.AuthorizationPolicy resource) {
    return of(resource.getMetadata(), resource.getSpec());
  }

  private static AuthzPolicy of(ObjectMeta metadata, AuthorizationPolicy spec) {
    Map<String, String> annotations = metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations();
    return new AuthzPolicy(metadata.getNamespace(), metadata.getName(), annotations,
        spec == null ? new AuthorizationPolicy() : spec);
  }

  /** The action; an absent action is ALLOW. */
  public AuthorizationPolicyAction action() {
    return spec.getAction() == null ? AuthorizationPolicyAction.ALLOW : spec.getAction();
  }

  /** The CUSTOM provider's name, or "" when the policy names none. */
  public String providerName() {
    if (spec.getActionDetail() instanceof AuthorizationPolicyProvider detail && detail.getProvider() != null
        && detail.getProvider().getName() != null) {
      return detail.getProvider().getName();
    }
    return "";
  }

  @Override
  public String toString() {
    return "AuthorizationPolicy " + namespace + "/" + name;
  }
}
