package dev.inboard.mesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BootstrapJsonTest {
  private static final String SOURCE = "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json";

  @Test
  void istioAgentGolden_parsesEveryField() {
    XdsBootstrap bootstrap = BootstrapLoader.fromJson(resource("istio/grpc-bootstrap.json"), "istio-agent golden");

    XdsBootstrap expected =
        new XdsBootstrap(
            new ControlPlaneServer(
                "unix:///etc/istio/XDS", ChannelSecurity.PLAINTEXT, Optional.empty(), Set.of("xds_v3")),
            new NodeInfo(
                "sidecar~127.0.0.1~pod1.fake-namespace~fake-namespace.svc.cluster.local",
                "",
                Map.of(
                    "GENERATOR", "grpc",
                    "INSTANCE_IPS", "127.0.0.1",
                    "ISTIO_VERSION", "version",
                    "METADATA_DISCOVERY", "false",
                    "PILOT_SAN", List.of("istiod.istio-system.svc"),
                    "WORKLOAD_IDENTITY_SOCKET_FILE", "socket"),
                NodeInfo.Locality.EMPTY,
                NodeInfo.USER_AGENT_NAME,
                NodeInfo.USER_AGENT_VERSION),
            Map.of(
                "default",
                new CertificateProviderConfig.FileWatcher(
                    Path.of("/cert/path/cert-chain.pem"),
                    Path.of("/cert/path/key.pem"),
                    Optional.of(Path.of("/cert/path/root-cert.pem")),
                    Optional.empty(),
                    Duration.ofSeconds(900))),
            Optional.of("xds.istio.io/grpc/lds/inbound/%s"),
            "istio-agent golden");
    assertThat(bootstrap).isEqualTo(expected);
    assertThat(bootstrap.node().shape()).isEqualTo(ConfigShape.GRPC);
    assertThat(bootstrap.node().instanceIps()).containsExactly("127.0.0.1");
    assertThat(bootstrap.node().namespace()).isEmpty();
    assertThat(bootstrap.server().parsedTarget()).isEqualTo(new ControlPlaneTarget.Unix("/etc/istio/XDS"));
  }

  @Test
  void grpcgenTestBootstrap_misspeltKeysIgnored_parsesEveryField() {
    XdsBootstrap bootstrap = BootstrapLoader.fromJson(resource("istio/xds_bootstrap.json"), "grpcgen test");

    assertThat(bootstrap.server())
        .isEqualTo(
            new ControlPlaneServer("localhost:14057", ChannelSecurity.PLAINTEXT, Optional.empty(), Set.of("xds_v3")));
    assertThat(bootstrap.node().id()).isEqualTo("sidecar~127.0.1.1~echo.test~cluster.local");
    assertThat(bootstrap.node().metadata())
        .isEqualTo(
            Map.of(
                "INSTANCE_IPS", "127.0.1.1",
                "PILOT_SAN", List.of("istiod.istio-system.svc"),
                "GENERATOR", "grpc",
                "NAMESPACE", "test"));
    assertThat(bootstrap.node().locality()).isEqualTo(NodeInfo.Locality.EMPTY);
    assertThat(bootstrap.node().namespace()).contains("test");
    assertThat(bootstrap.node().generator()).contains("grpc");
    assertThat(bootstrap.certificateProviders())
        .containsExactly(
            Map.entry(
                "default",
                new CertificateProviderConfig.FileWatcher(
                    Path.of("../../../../tests/testdata/certs/default/cert-chain.pem"),
                    Path.of("../../../../tests/testdata/certs/default/key.pem"),
                    Optional.of(Path.of("../../../../tests/testdata/certs/default/root-cert.pem")),
                    Optional.empty(),
                    Duration.ofSeconds(900))));
    assertThat(bootstrap.serverListenerResourceNameTemplate()).contains("xds.istio.io/grpc/lds/inbound/%s");
  }

  @Test
  void grpcSimpleTemplateBootstrap_minimal_parses() {
    String json =
        """
        {
          "xds_servers": [
            {
              "server_uri": "dns:///istiod.istio-system.svc:15010",
              "channel_creds": [{"type": "insecure"}],
              "server_features" : ["xds_v3"]
            }
          ],
          "node": {
            "id": "sidecar~10.1.2.3~grpc-7d4b9c-xk2p.default~cluster.local",
            "metadata": {
              "GENERATOR": "grpc"
            }
          }
        }
        """;

    XdsBootstrap bootstrap = BootstrapLoader.fromJson(json, SOURCE);

    assertThat(bootstrap.server().target()).isEqualTo("dns:///istiod.istio-system.svc:15010");
    assertThat(bootstrap.server().parsedTarget())
        .isEqualTo(new ControlPlaneTarget.HostPort(Optional.empty(), "istiod.istio-system.svc", 15010));
    assertThat(bootstrap.node().metadata()).isEqualTo(Map.of("GENERATOR", "grpc"));
    assertThat(bootstrap.certificateProviders()).isEmpty();
    assertThat(bootstrap.serverListenerResourceNameTemplate()).isEmpty();
  }

  @Test
  void nodeFields_localityClusterAndNumbers_parsed() {
    String json =
        server("\"unix:///etc/istio/proxy/XDS\"", "[{\"type\": \"insecure\"}]")
            + """
              ,"node": {
                "id": "sidecar~10.0.0.7~reviews-v1-abc.default~default.svc.cluster.local",
                "cluster": "reviews.default",
                "locality": {"region": "us-east1", "zone": "us-east1-b", "sub_zone": "rack7"},
                "metadata": {"ENVOY_STATUS_PORT": 15021, "LABELS": {"app": "reviews"}, "PROXY_CONFIG": null}
              }
            }
            """;

    NodeInfo node = BootstrapLoader.fromJson(json, SOURCE).node();

    assertThat(node.cluster()).isEqualTo("reviews.default");
    assertThat(node.locality()).isEqualTo(new NodeInfo.Locality("us-east1", "us-east1-b", "rack7"));
    assertThat(node.metadata())
        .isEqualTo(Map.of("ENVOY_STATUS_PORT", 15021.0, "LABELS", Map.of("app", "reviews")));
    assertThat(node.labels()).isEqualTo(Map.of("app", "reviews"));
    assertThat(node.shape()).isEqualTo(ConfigShape.SIDECAR);
  }

  @Test
  void tlsChannelCredsWithJwtCallCreds_giveTlsAndToken() {
    String json =
        """
        {
          "xds_servers": [{
            "server_uri": "istiod.istio-system.svc:15012",
            "channel_creds": [
              {"type": "google_default"},
              {"type": "tls", "config": {"ca_certificate_file": "/var/run/secrets/istio/root-cert.pem"}}
            ],
            "call_creds": [
              {"type": "jwt_token_file", "config": {"jwt_token_file": "/var/run/secrets/tokens/istio-token"}}
            ]
          }],
          "node": {"id": "sidecar~10.0.0.7~reviews-v1-abc.default~default.svc.cluster.local"}
        }
        """;

    ControlPlaneServer server = BootstrapLoader.fromJson(json, SOURCE).server();

    assertThat(server)
        .isEqualTo(
            new ControlPlaneServer(
                "istiod.istio-system.svc:15012",
                new ChannelSecurity.Tls(
                    Optional.of(Path.of("/var/run/secrets/istio/root-cert.pem")), Optional.empty()),
                Optional.of(Path.of("/var/run/secrets/tokens/istio-token")),
                Set.of()));
  }

  @Test
  void serverUri_missing_isRejected() {
    String json = "{\"xds_servers\": [{\"channel_creds\": [{\"type\": \"insecure\"}]}], \"node\": {\"id\": \"n\"}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers[0].server_uri is missing; set it "
                + "to the control plane address, e.g. \"unix:///etc/istio/proxy/XDS\"");
  }

  @Test
  void xdsServers_empty_isRejected() {
    assertThatThrownBy(() -> BootstrapLoader.fromJson("{\"xds_servers\": [], \"node\": {\"id\": \"n\"}}", SOURCE))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers is empty; add the control plane, "
                + "e.g. \"xds_servers\": [{\"server_uri\": \"unix:///etc/istio/proxy/XDS\", \"channel_creds\": "
                + "[{\"type\": \"insecure\"}]}]");
  }

  @Test
  void xdsServers_missing_isRejected() {
    assertThatThrownBy(() -> BootstrapLoader.fromJson("{\"node\": {\"id\": \"n\"}}", SOURCE))
        .hasMessageStartingWith(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers is missing; add the control plane");
  }

  @Test
  void channelCreds_noSupportedType_isRejected() {
    String json =
        server("\"istiod.istio-system.svc:15012\"", "[{\"type\": \"google_default\"}, {\"type\": \"xds\"}]")
            + ", \"node\": {\"id\": \"n\"}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers[0].channel_creds has no supported "
                + "type (got \"google_default\", \"xds\"); use \"insecure\" (plaintext, e.g. to istio-agent's "
                + "socket) or \"tls\"");
  }

  @Test
  void channelCreds_missing_isRejected() {
    String json = "{\"xds_servers\": [{\"server_uri\": \"localhost:15010\"}], \"node\": {\"id\": \"n\"}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers[0].channel_creds is missing; set "
                + "it to [{\"type\": \"insecure\"}] for istio-agent's socket or [{\"type\": \"tls\"}] for TLS");
  }

  @Test
  void jsonSyntaxError_namesLineAndColumn() {
    String json = "{\n  \"xds_servers\": [\n    {\"server_uri\": \"unix:///etc/istio/proxy/XDS\",}\n  ]\n}\n";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: invalid JSON at line 3, column 50: Unexpected "
                + "character ('}' (code 125)): was expecting double-quote to start field name");
  }

  @Test
  void jsonTruncated_namesWhereTheObjectOpened() {
    assertThatThrownBy(() -> BootstrapLoader.fromJson("{\"xds_servers\": [", SOURCE))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: invalid JSON at line 1, column 18: Unexpected "
                + "end-of-input: expected close marker for Array (opened at line 1, column 17)");
  }

  @Test
  void serverUri_withoutPort_isRejected() {
    String json = server("\"istiod.istio-system.svc\"", "[{\"type\": \"insecure\"}]") + ", \"node\": {\"id\": \"n\"}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers[0].server_uri "
                + "\"istiod.istio-system.svc\" has no port; use host:port, dns:///host:port or unix:///path, e.g. "
                + "\"istiod.istio-system.svc:15012\"");
  }

  @Test
  void nodeId_missing_isRejected() {
    String json = server("\"localhost:15010\"", "[{\"type\": \"insecure\"}]") + ", \"node\": {\"metadata\": {}}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: node.id is missing; set it to the Istio node "
                + "id, e.g. \"sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local\"");
  }

  @Test
  void nodeMetadata_notAnObject_isRejected() {
    String json =
        server("\"localhost:15010\"", "[{\"type\": \"insecure\"}]") + ", \"node\": {\"id\": \"n\", \"metadata\": []}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: node.metadata must be a JSON object, was a list");
  }

  @Test
  void tlsClientCertificate_isRejected() {
    String json =
        server(
                "\"istiod.istio-system.svc:15012\"",
                "[{\"type\": \"tls\", \"config\": "
                    + "{\"certificate_file\": \"/c.pem\", \"private_key_file\": \"/k.pem\"}}]")
            + ", \"node\": {\"id\": \"n\"}}";

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers[0].channel_creds[0].config"
                + ".certificate_file is not supported: this client does not present a certificate to the control "
                + "plane; remove it and authenticate with a token (call_creds jwt_token_file)");
  }

  @Test
  void callCreds_overInsecureChannel_isRejected() {
    String json =
        """
        {"xds_servers": [{"server_uri": "localhost:15010", "channel_creds": [{"type": "insecure"}],
          "call_creds": [{"type": "jwt_token_file", "config": {"jwt_token_file": "/t"}}]}],
         "node": {"id": "n"}}
        """;

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: xds_servers[0].call_creds sends a bearer token "
                + "over an insecure channel; use \"tls\" channel_creds or remove the call_creds");
  }

  @Test
  void fileWatcher_missingCertificateFile_isRejected() {
    String json =
        server("\"localhost:15010\"", "[{\"type\": \"insecure\"}]")
            + """
              , "node": {"id": "n"},
              "certificate_providers": {"default": {"plugin_name": "file_watcher",
                "config": {"private_key_file": "/k.pem", "ca_certificate_file": "/r.pem"}}}}
            """;

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: certificate_providers[default].config"
                + ".certificate_file is missing; set it to the certificate chain, e.g. "
                + "\"/var/lib/istio/data/cert-chain.pem\"");
  }

  @Test
  void fileWatcher_refreshIntervalNotADuration_isRejected() {
    String json = withFileWatcher("\"refresh_interval\": \"15m\"");

    assertThatThrownBy(() -> BootstrapLoader.fromJson(json, SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: certificate_providers[default].config"
                + ".refresh_interval \"15m\" is not a duration; write seconds with an \"s\" suffix, e.g. \"900s\"");
  }

  @Test
  void fileWatcher_refreshIntervalZero_isRejected() {
    assertThatThrownBy(() -> BootstrapLoader.fromJson(withFileWatcher("\"refresh_interval\": \"0s\""), SOURCE))
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json: certificate_providers[default].config"
                + ".refresh_interval must be positive, was \"0s\"");
  }

  @Test
  void fileWatcher_refreshIntervalAbsent_defaultsToTenMinutes() {
    XdsBootstrap bootstrap = BootstrapLoader.fromJson(withFileWatcher("\"ca_certificate_file\": \"/r.pem\""), SOURCE);

    assertThat(bootstrap.certificateProviders().get("default"))
        .isEqualTo(
            new CertificateProviderConfig.FileWatcher(
                Path.of("/c.pem"), Path.of("/k.pem"), Optional.of(Path.of("/r.pem")), Optional.empty(),
                Duration.ofMinutes(10)));
  }

  @Test
  void otherCertificatePlugin_keptByName() {
    String json =
        server("\"localhost:15010\"", "[{\"type\": \"insecure\"}]")
            + """
              , "node": {"id": "n"},
              "certificate_providers": {"mesh": {"plugin_name": "meshca", "config": {"server": "meshca.example"}}}}
            """;

    assertThat(BootstrapLoader.fromJson(json, SOURCE).certificateProviders())
        .containsExactly(
            Map.entry("mesh", new CertificateProviderConfig.Other("meshca", Map.of("server", "meshca.example"))));
  }

  private static String withFileWatcher(String extraConfig) {
    return server("\"localhost:15010\"", "[{\"type\": \"insecure\"}]")
        + ", \"node\": {\"id\": \"n\"}, \"certificate_providers\": {\"default\": {\"plugin_name\": \"file_watcher\","
        + " \"config\": {\"certificate_file\": \"/c.pem\", \"private_key_file\": \"/k.pem\", "
        + (extraConfig.contains("ca_certificate_file") ? "" : "\"ca_certificate_file\": \"/r.pem\", ")
        + extraConfig
        + "}}}}";
  }

  /** The start of a bootstrap object with one server; the caller closes it. */
  private static String server(String uri, String creds) {
    return "{\"xds_servers\": [{\"server_uri\": " + uri + ", \"channel_creds\": " + creds + "}]";
  }

  static String resource(String name) {
    try (InputStream in = BootstrapJsonTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
