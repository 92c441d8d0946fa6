package dev.inboard.mesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapLoaderTest {
  @TempDir Path dir;

  private static Map<String, String> pod() {
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    env.put("POD_NAME", "reviews-v1-7d4b9c5f6-xk2pq");
    env.put("POD_NAMESPACE", "bookinfo");
    env.put("INSTANCE_IP", "10.44.1.17");
    env.put("SERVICE_ACCOUNT", "bookinfo-reviews");
    return env;
  }

  private static BootstrapEnvironment env(Map<String, String> variables) {
    return BootstrapEnvironment.ofVariables(variables);
  }

  @Test
  void grpcXdsBootstrapFile_loaded() throws IOException {
    Path file =
        Files.writeString(dir.resolve("grpc-bootstrap.json"), BootstrapJsonTest.resource("istio/grpc-bootstrap.json"));

    XdsBootstrap bootstrap = BootstrapLoader.load(env(Map.of("GRPC_XDS_BOOTSTRAP", file.toString())));

    assertThat(bootstrap.source()).isEqualTo("GRPC_XDS_BOOTSTRAP " + file);
    assertThat(bootstrap.server().target()).isEqualTo("unix:///etc/istio/XDS");
    assertThat(bootstrap.node().id())
        .isEqualTo("sidecar~127.0.0.1~pod1.fake-namespace~fake-namespace.svc.cluster.local");
  }

  @Test
  void grpcXdsBootstrapFile_malformed_errorNamesFileFieldAndFix() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("grpc-bootstrap.json"),
            "{\"xds_servers\": [{\"channel_creds\": [{\"type\": \"insecure\"}]}], \"node\": {\"id\": \"n\"}}");

    assertThatThrownBy(() -> BootstrapLoader.load(env(Map.of("GRPC_XDS_BOOTSTRAP", file.toString()))))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP " + file + ": xds_servers[0].server_uri is missing; set it to the control plane "
                + "address, e.g. \"unix:///etc/istio/proxy/XDS\"");
  }

  @Test
  void grpcXdsBootstrapFile_missing_errorNamesPathAndVariable() {
    Path missing = dir.resolve("etc/istio/proxy/grpc-bootstrap.json");

    assertThatThrownBy(() -> BootstrapLoader.load(env(Map.of("GRPC_XDS_BOOTSTRAP", missing.toString()))))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "GRPC_XDS_BOOTSTRAP " + missing + ": file does not exist; fix GRPC_XDS_BOOTSTRAP or unset it (with the "
                + "grpc-agent injection template istio-agent writes this file when the pod starts)");
  }

  @Test
  void grpcXdsBootstrapConfig_inlineJson_loaded() {
    String json = BootstrapJsonTest.resource("istio/xds_bootstrap.json");

    XdsBootstrap bootstrap = BootstrapLoader.load(env(Map.of("GRPC_XDS_BOOTSTRAP_CONFIG", json)));

    assertThat(bootstrap.source()).isEqualTo("GRPC_XDS_BOOTSTRAP_CONFIG (inline JSON)");
    assertThat(bootstrap.server().target()).isEqualTo("localhost:14057");
  }

  @Test
  void grpcBootstrapSystemProperty_loaded() throws IOException {
    Path file = Files.writeString(dir.resolve("b.json"), BootstrapJsonTest.resource("istio/xds_bootstrap.json"));
    BootstrapEnvironment env =
        new BootstrapEnvironment(Map.of(), Map.of("io.grpc.xds.bootstrap", file.toString()), Optional.empty());

    assertThat(BootstrapLoader.load(env).source()).isEqualTo("io.grpc.xds.bootstrap " + file);
  }

  @Test
  void grpcXdsBootstrap_winsOverInlineConfig() throws IOException {
    Path file = Files.writeString(dir.resolve("b.json"), BootstrapJsonTest.resource("istio/grpc-bootstrap.json"));
    Map<String, String> variables =
        Map.of(
            "GRPC_XDS_BOOTSTRAP", file.toString(),
            "GRPC_XDS_BOOTSTRAP_CONFIG", BootstrapJsonTest.resource("istio/xds_bootstrap.json"));

    assertThat(BootstrapLoader.load(env(variables)).server().target()).isEqualTo("unix:///etc/istio/XDS");
  }

  @Test
  void grpcXdsBootstrap_winsOverKubernetes() throws IOException {
    Path file = Files.writeString(dir.resolve("b.json"), BootstrapJsonTest.resource("istio/grpc-bootstrap.json"));
    Map<String, String> variables = pod();
    variables.put("GRPC_XDS_BOOTSTRAP", file.toString());

    assertThat(BootstrapLoader.load(env(variables)).source()).isEqualTo("GRPC_XDS_BOOTSTRAP " + file);
  }

  @Test
  void grpcXdsBootstrap_withInboardAddress_isRejectedAsAmbiguous() throws IOException {
    Path file = Files.writeString(dir.resolve("b.json"), BootstrapJsonTest.resource("istio/grpc-bootstrap.json"));
    Map<String, String> variables =
        Map.of("GRPC_XDS_BOOTSTRAP", file.toString(), "INBOARD_XDS_ADDRESS", "istiod.istio-system.svc:15012");

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .hasMessage(
            "INBOARD_XDS_ADDRESS has no effect when the bootstrap comes from GRPC_XDS_BOOTSTRAP; unset it, or set "
                + "INBOARD_XDS_MODE to istiod or local");
  }

  @Test
  void modeBootstrapFile_withoutGrpcVariables_isRejected() {
    assertThatThrownBy(() -> BootstrapLoader.load(env(Map.of("INBOARD_XDS_MODE", "bootstrap-file"))))
        .hasMessage(
            "INBOARD_XDS_MODE=bootstrap-file needs GRPC_XDS_BOOTSTRAP (a file path) or GRPC_XDS_BOOTSTRAP_CONFIG "
                + "(inline JSON); Istio's grpc-agent injection template sets "
                + "GRPC_XDS_BOOTSTRAP=/etc/istio/proxy/grpc-bootstrap.json");
  }

  @Test
  void mode_unknownValue_isRejected() {
    assertThatThrownBy(() -> BootstrapLoader.load(env(Map.of("INBOARD_XDS_MODE", "sidecar"))))
        .isInstanceOf(BootstrapException.class)
        .hasMessage("INBOARD_XDS_MODE \"sidecar\" is not a mode; set it to bootstrap-file, istiod or local");
  }

  @Test
  void mode_systemPropertyWinsOverEnvironment() {
    BootstrapEnvironment env =
        new BootstrapEnvironment(
            Map.of("INBOARD_XDS_MODE", "istiod"), Map.of("inboard.xds.mode", "local"), Optional.empty());

    assertThat(BootstrapLoader.load(env).source())
        .isEqualTo("local control plane (inboard.xds.mode=local) 127.0.0.1:15010");
  }

  @Test
  void kubernetes_istiodDirect_tlsTokenAndPodIdentity() throws IOException {
    Path rootCa = Files.writeString(dir.resolve("root-cert.pem"), "pem");
    Path token = Files.writeString(dir.resolve("istio-token"), "jwt");
    Map<String, String> variables = pod();
    variables.put("INBOARD_XDS_ROOT_CA", rootCa.toString());
    variables.put("INBOARD_XDS_TOKEN_FILE", token.toString());

    XdsBootstrap bootstrap = BootstrapLoader.load(env(variables));

    assertThat(bootstrap.server())
        .isEqualTo(
            new ControlPlaneServer(
                "istiod.istio-system.svc:15012",
                new ChannelSecurity.Tls(Optional.of(rootCa), Optional.empty()),
                Optional.of(token),
                Set.of("xds_v3")));
    assertThat(bootstrap.node().id())
        .isEqualTo("sidecar~10.44.1.17~reviews-v1-7d4b9c5f6-xk2pq.bookinfo~bookinfo.svc.cluster.local");
    assertThat(bootstrap.node().shape()).isEqualTo(ConfigShape.SIDECAR);
    assertThat(bootstrap.serverListenerResourceNameTemplate()).isEmpty();
    assertThat(bootstrap.certificateProviders()).isEmpty();
    assertThat(bootstrap.source()).isEqualTo("istiod (in Kubernetes) istiod.istio-system.svc:15012");
  }

  @Test
  void istiod_systemTrustNoTokenAuthority_andGrpcGenerator() {
    Map<String, String> variables = pod();
    variables.put("INBOARD_XDS_MODE", "istiod");
    variables.put("INBOARD_XDS_ADDRESS", "10.96.12.7:15012");
    variables.put("INBOARD_XDS_ROOT_CA", "SYSTEM");
    variables.put("INBOARD_XDS_TOKEN_FILE", "none");
    variables.put("INBOARD_XDS_AUTHORITY", "istiod.istio-system.svc");
    variables.put("ISTIO_META_GENERATOR", "grpc");

    XdsBootstrap bootstrap = BootstrapLoader.load(env(variables));

    assertThat(bootstrap.server())
        .isEqualTo(
            new ControlPlaneServer(
                "10.96.12.7:15012",
                new ChannelSecurity.Tls(Optional.empty(), Optional.of("istiod.istio-system.svc")),
                Optional.empty(),
                Set.of("xds_v3")));
    assertThat(bootstrap.node().shape()).isEqualTo(ConfigShape.GRPC);
    assertThat(bootstrap.serverListenerResourceNameTemplate()).contains("xds.istio.io/grpc/lds/inbound/%s");
    assertThat(bootstrap.source()).isEqualTo("istiod (INBOARD_XDS_MODE=istiod) 10.96.12.7:15012");
  }

  @Test
  void istiod_rootCaFileMissing_errorNamesSettingValueAndFix() {
    Path missing = dir.resolve("missing.pem");
    Map<String, String> variables = pod();
    variables.put("INBOARD_XDS_ROOT_CA", missing.toString());

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "INBOARD_XDS_ROOT_CA \"" + missing + "\": no such file; set INBOARD_XDS_ROOT_CA to the PEM file of the "
                + "CA that signs istiod's certificate (Istio mounts the istio-ca-root-cert ConfigMap at "
                + "/var/run/secrets/istio/root-cert.pem), or to SYSTEM to use the JDK trust store");
  }

  @Test
  void istiod_defaultRootCaAbsent_errorNamesSettingAndDefault() {
    assumeThat(BootstrapLoader.DEFAULT_ROOT_CA).as("no Istio root CA on this machine").doesNotExist();

    assertThatThrownBy(() -> BootstrapLoader.load(env(pod())))
        .hasMessage(
            "INBOARD_XDS_ROOT_CA is not set and the default /var/run/secrets/istio/root-cert.pem does not exist; set "
                + "INBOARD_XDS_ROOT_CA to the PEM file of the CA that signs istiod's certificate (Istio mounts the "
                + "istio-ca-root-cert ConfigMap at /var/run/secrets/istio/root-cert.pem), or to SYSTEM to use the "
                + "JDK trust store");
  }

  @Test
  void istiod_tokenFileMissing_errorNamesSettingValueAndFix() {
    Path missing = dir.resolve("istio-token");
    Map<String, String> variables = pod();
    variables.put("INBOARD_XDS_ROOT_CA", "SYSTEM");
    variables.put("INBOARD_XDS_TOKEN_FILE", missing.toString());

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .hasMessage(
            "INBOARD_XDS_TOKEN_FILE \"" + missing + "\": no such file; set INBOARD_XDS_TOKEN_FILE to the projected "
                + "service account token (Istio mounts it at /var/run/secrets/tokens/istio-token with audience "
                + "istio-ca), or to none to send no token");
  }

  @Test
  void istiod_badAddress_errorNamesSettingValueAndFix() {
    Map<String, String> variables = pod();
    variables.put("INBOARD_XDS_ADDRESS", "istiod.istio-system.svc");

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "INBOARD_XDS_ADDRESS \"istiod.istio-system.svc\" has no port; use host:port, dns:///host:port or "
                + "unix:///path, e.g. \"istiod.istio-system.svc:15012\"");
  }

  @Test
  void istiod_badAddressFromProperty_namesTheProperty() {
    BootstrapEnvironment env =
        new BootstrapEnvironment(pod(), Map.of("inboard.xds.address", "https://istiod:15012"), Optional.empty());

    assertThatThrownBy(() -> BootstrapLoader.load(env))
        .hasMessage(
            "inboard.xds.address \"https://istiod:15012\" uses the unsupported scheme \"https\"; use host:port, "
                + "dns:///host:port or unix:///path, e.g. \"istiod.istio-system.svc:15012\"");
  }

  @Test
  void istiod_badAuthority_isRejected() {
    Map<String, String> variables = pod();
    variables.put("INBOARD_XDS_ROOT_CA", "SYSTEM");
    variables.put("INBOARD_XDS_TOKEN_FILE", "none");
    variables.put("INBOARD_XDS_AUTHORITY", "https://istiod");

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .hasMessage(
            "INBOARD_XDS_AUTHORITY \"https://istiod\" is not a host name; set it to the name in istiod's "
                + "certificate, e.g. \"istiod.istio-system.svc\"");
  }

  @Test
  void istiod_podNameMissing_isRejected() {
    Map<String, String> variables = pod();
    variables.remove("POD_NAME");

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .hasMessage(
            "POD_NAME is not set; istiod needs the pod name in the node id: set it from the downward API "
                + "(valueFrom.fieldRef.fieldPath: metadata.name), or use INBOARD_XDS_MODE=local outside Kubernetes");
  }

  @Test
  void outsideKubernetes_localPlaintextWithDefaults() {
    XdsBootstrap bootstrap = BootstrapLoader.load(env(Map.of()));

    assertThat(bootstrap.server())
        .isEqualTo(
            new ControlPlaneServer("127.0.0.1:15010", ChannelSecurity.PLAINTEXT, Optional.empty(), Set.of("xds_v3")));
    assertThat(bootstrap.node().id()).isEqualTo("sidecar~127.0.0.1~inboard.default~default.svc.cluster.local");
    assertThat(bootstrap.source()).isEqualTo("local control plane (outside Kubernetes) 127.0.0.1:15010");
  }

  @Test
  void local_addressFromSetting() {
    XdsBootstrap bootstrap = BootstrapLoader.load(env(Map.of("INBOARD_XDS_ADDRESS", "[::1]:15010")));

    assertThat(bootstrap.server().target()).isEqualTo("[::1]:15010");
    assertThat(bootstrap.server().parsedTarget())
        .isEqualTo(new ControlPlaneTarget.HostPort(Optional.empty(), "::1", 15010));
  }

  @Test
  void local_tokenFileSet_isRejected() {
    Map<String, String> variables =
        Map.of("INBOARD_XDS_MODE", "local", "INBOARD_XDS_TOKEN_FILE", "/var/run/secrets/tokens/istio-token");

    assertThatThrownBy(() -> BootstrapLoader.load(env(variables)))
        .hasMessage(
            "INBOARD_XDS_TOKEN_FILE has no effect in local mode, which is plaintext; unset it, or set "
                + "INBOARD_XDS_MODE=istiod");
  }
}
