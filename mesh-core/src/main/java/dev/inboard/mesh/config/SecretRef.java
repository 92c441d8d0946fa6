package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * An SDS secret name, mapped to where Inboard gets that certificate material. Istio's names: {@code default}
 * (the workload certificate), {@code ROOTCA} (the mesh root), {@code file-cert:CERT~KEY} and {@code file-root:PATH}
 * (files on the workload), {@code kubernetes://NAME} (a secret the control plane serves).
 */
public sealed interface SecretRef {

  /** The SDS resource name as it appeared in xDS. */
  String name();

  record WorkloadCertificate(String name) implements SecretRef {
    public WorkloadCertificate {
      Objects.requireNonNull(name, "name");
    }
  }

  record RootCertificate(String name) implements SecretRef {
    public RootCertificate {
      Objects.requireNonNull(name, "name");
    }
  }

  record FileCertificate(String name, String certificateChainPath, String privateKeyPath) implements SecretRef {
    public FileCertificate {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(certificateChainPath, "certificateChainPath");
      Objects.requireNonNull(privateKeyPath, "privateKeyPath");
    }
  }

  record FileRoot(String name, String caCertificatePath) implements SecretRef {
    public FileRoot {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(caCertificatePath, "caCertificatePath");
    }
  }

  /**
   * A certificate provider instance named in the bootstrap ({@code certificate_providers}), as the grpc generator
   * emits it: {@code instance_name} {@code default} with {@code certificate_name} {@code default} or {@code ROOTCA}.
   */
  record ProviderInstance(String name, String instanceName, String certificateName) implements SecretRef {
    public ProviderInstance {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(instanceName, "instanceName");
      Objects.requireNonNull(certificateName, "certificateName");
    }
  }

  /** Any other name: fetched from the control plane over SDS when a later release needs it. */
  record ControlPlaneSecret(String name) implements SecretRef {
    public ControlPlaneSecret {
      Objects.requireNonNull(name, "name");
    }
  }
}
