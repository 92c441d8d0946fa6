package dev.inboard.mesh.agent.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerAuthenticationsTest {
  static final Map<String, String> REVIEWS = Map.of("app", "reviews", "version", "v1");

  @Test
  void noPolicy_isPermissive() {
    assertThat(resolve("").modeFor(9080)).isEqualTo(MtlsMode.PERMISSIVE);
  }

  @Test
  void meshStrict_namespaceUnset_workloadDisablesOnePort() {
    PeerAuthentications pa = resolve("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bookinfo}
        spec: {mtls: {mode: UNSET}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          selector: {matchLabels: {app: reviews}}
          portLevelMtls:
            "9080": {mode: DISABLE}
            "9090": {mode: UNSET}
        """);

    assertThat(pa.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(pa.modeFor(9080)).isEqualTo(MtlsMode.DISABLE);
    assertThat(pa.modeFor(9090)).isEqualTo(MtlsMode.STRICT);
    assertThat(pa.modeFor(7070)).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void namespacePolicy_overridesMesh_selectorsElsewhereDoNotApply() {
    PeerAuthentications pa = resolve("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bookinfo}
        spec: {mtls: {mode: PERMISSIVE}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: ratings-only, namespace: bookinfo}
        spec: {selector: {matchLabels: {app: ratings}}, mtls: {mode: DISABLE}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: other-ns, namespace: foo}
        spec: {mtls: {mode: DISABLE}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: root-selector, namespace: istio-system}
        spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: DISABLE}}
        """);

    assertThat(pa.modeFor(9080)).isEqualTo(MtlsMode.PERMISSIVE);
  }

  private static PeerAuthentications resolve(String yaml) {
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.loadString(yaml, "pa.yaml");
    assertThat(loaded.problems()).isEmpty();
    ConfigSet config = loaded.toConfigSet();
    return PeerAuthentications.forWorkload(config, "bookinfo", REVIEWS, "istio-system");
  }
}
