package dev.inboard.mesh.bootstrap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry of the bootstrap's {@code certificate_providers}: where the workload certificate and the trust roots for
 * mTLS come from. istio-agent writes one named {@code default}, a {@code file_watcher} over the files it keeps fresh.
 */
public sealed interface CertificateProviderConfig
    permits CertificateProviderConfig.FileWatcher, CertificateProviderConfig.Other {

  /** gRPC's {@code file_watcher} plugin name. */
  String FILE_WATCHER = "file_watcher";

  /** gRPC's default {@code refresh_interval} for {@code file_watcher}. */
  Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(10);

  /** The plugin name, e.g. {@code file_watcher}. */
  String pluginName();

  /**
   * The {@code file_watcher} plugin: PEM files re-read every {@code refreshInterval}. Paths are kept as written
   * (relative ones resolve against the working directory).
   *
   * @param certificateFile the certificate chain ({@code cert-chain.pem})
   * @param privateKeyFile the private key ({@code key.pem})
   * @param caCertificateFile the trust roots ({@code root-cert.pem}); at least this or the SPIFFE bundle map is set
   * @param spiffeTrustBundleMapFile a SPIFFE trust bundle map (gRFC A87), instead of or besides the CA file
   * @param refreshInterval how often the files are re-read; istio-agent writes {@code 900s}, gRPC's default is 10m
   */
  record FileWatcher(
      Path certificateFile,
      Path privateKeyFile,
      Optional<Path> caCertificateFile,
      Optional<Path> spiffeTrustBundleMapFile,
      Duration refreshInterval)
      implements CertificateProviderConfig {

    public FileWatcher {
      Objects.requireNonNull(certificateFile, "certificateFile");
      Objects.requireNonNull(privateKeyFile, "privateKeyFile");
      Objects.requireNonNull(caCertificateFile, "caCertificateFile");
      Objects.requireNonNull(spiffeTrustBundleMapFile, "spiffeTrustBundleMapFile");
      if (caCertificateFile.isEmpty() && spiffeTrustBundleMapFile.isEmpty()) {
        throw new IllegalArgumentException("file_watcher needs a CA certificate file or a SPIFFE trust bundle map");
      }
      if (refreshInterval.isNegative() || refreshInterval.isZero()) {
        throw new IllegalArgumentException("refresh interval must be positive, was " + refreshInterval);
      }
    }

    @Override
    public String pluginName() {
      return FILE_WATCHER;
    }
  }

  /**
   * A plugin this library does not implement, kept by name with its raw config (a JSON-like tree) so it shows in the
   * config dump; using it for TLS fails then, not at start.
   */
  record Other(String pluginName, Map<String, Object> config) implements CertificateProviderConfig {
    public Other {
      Objects.requireNonNull(pluginName, "pluginName");
      config = JsonValues.copyObject(config, "config");
    }
  }
}
