package dev.inboard.mesh.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.util.Durations;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Parses the bootstrap's {@code certificate_providers}; {@code file_watcher} is validated as gRPC does. */
final class CertificateProvidersJson {
  private final BootstrapJson.Reader r;

  CertificateProvidersJson(BootstrapJson.Reader r) {
    this.r = r;
  }

  Map<String, CertificateProviderConfig> parse(JsonNode providers) {
    if (providers == null || providers.isNull()) {
      return Map.of();
    }
    r.requireObject(providers, "certificate_providers");
    Map<String, CertificateProviderConfig> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : providers.properties()) {
      String path = "certificate_providers[" + entry.getKey() + "]";
      parsed.put(entry.getKey(), provider(entry.getValue(), path));
    }
    return parsed;
  }

  private CertificateProviderConfig provider(JsonNode provider, String path) {
    r.requireObject(provider, path);
    String plugin =
        r.optionalString(provider, "plugin_name", path)
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () ->
                    r.fail(
                        path + ".plugin_name",
                        "is missing; set it to \"" + CertificateProviderConfig.FILE_WATCHER + "\""));
    JsonNode config = provider.get("config");
    if (config == null || config.isNull()) {
      config = JsonNodeFactory.instance.objectNode();
    }
    r.requireObject(config, path + ".config");
    if (!plugin.equals(CertificateProviderConfig.FILE_WATCHER)) {
      return new CertificateProviderConfig.Other(plugin, JsonValues.objectFromJson(config));
    }
    return fileWatcher(config, path + ".config");
  }

  private CertificateProviderConfig.FileWatcher fileWatcher(JsonNode config, String path) {
    Path certificate =
        requiredPath(
            config, "certificate_file", path, "the certificate chain, e.g. \"/var/lib/istio/data/cert-chain.pem\"");
    Path key =
        requiredPath(config, "private_key_file", path, "the private key, e.g. \"/var/lib/istio/data/key.pem\"");
    Optional<Path> ca = optionalPath(config, "ca_certificate_file", path);
    Optional<Path> spiffe = optionalPath(config, "spiffe_trust_bundle_map_file", path);
    if (ca.isEmpty() && spiffe.isEmpty()) {
      throw r.fail(
          path + ".ca_certificate_file",
          "is missing; set it to the trust roots, e.g. \"/var/lib/istio/data/root-cert.pem\"");
    }
    Duration refresh =
        r.optionalString(config, "refresh_interval", path)
            .map(text -> duration(text, path + ".refresh_interval"))
            .orElse(CertificateProviderConfig.DEFAULT_REFRESH_INTERVAL);
    return new CertificateProviderConfig.FileWatcher(certificate, key, ca, spiffe, refresh);
  }

  private Path requiredPath(JsonNode config, String field, String path, String what) {
    return optionalPath(config, field, path)
        .orElseThrow(() -> r.fail(path + "." + field, "is missing; set it to " + what));
  }

  private Optional<Path> optionalPath(JsonNode config, String field, String path) {
    return r.optionalString(config, field, path).filter(s -> !s.isBlank()).map(Path::of);
  }

  /** A protobuf JSON duration such as {@code "900s"}. */
  private Duration duration(String text, String path) {
    com.google.protobuf.Duration parsed;
    try {
      parsed = Durations.parse(text);
    } catch (ParseException e) {
      throw r.fail(path, "\"" + text + "\" is not a duration; write seconds with an \"s\" suffix, e.g. \"900s\"");
    }
    Duration duration = Duration.ofSeconds(parsed.getSeconds(), parsed.getNanos());
    if (duration.isNegative() || duration.isZero()) {
      throw r.fail(path, "must be positive, was \"" + text + "\"");
    }
    return duration;
  }
}
