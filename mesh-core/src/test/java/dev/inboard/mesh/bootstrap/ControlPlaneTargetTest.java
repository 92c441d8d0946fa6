package dev.inboard.mesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlPlaneTargetTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "unix:///etc/istio/proxy/XDS    | unix:///etc/istio/proxy/XDS",
        "unix:////etc/istio/proxy/XDS   | unix:///etc/istio/proxy/XDS",
        "unix:/etc/istio/proxy/XDS      | unix:///etc/istio/proxy/XDS",
        "unix:XDS                       | unix:XDS",
        "istiod.istio-system.svc:15012  | dns:///istiod.istio-system.svc:15012",
        "dns:///istiod.istio-system.svc:15010 | dns:///istiod.istio-system.svc:15010",
        "dns://8.8.8.8/istiod.example.com:443 | dns://8.8.8.8/istiod.example.com:443",
        "127.0.0.1:15010                | dns:///127.0.0.1:15010",
        "[fd00::1]:15012                | dns:///[fd00::1]:15012",
      })
  void validTarget_canonicalGrpcTarget(String target, String grpcTarget) {
    assertThat(ControlPlaneTarget.parse(target).grpcTarget()).isEqualTo(grpcTarget);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "istiod                 | has no port",
        "istiod:                | has no port",
        "istiod:http            | has an invalid port \"http\"",
        "istiod:0               | has port 0, outside 1-65535",
        ":15010                 | has no host",
        "fd00::1:15012          | has an IPv6 address without brackets, write [address]:port",
        "https://istiod:15012   | uses the unsupported scheme \"https\"",
        "unix://                | has no socket path",
        "unix://host/sock       | names a host; a unix socket target has the form unix:///path",
        "'  '                   | is empty",
      })
  void invalidTarget_saysWhy(String target, String problem) {
    assertThatThrownBy(() -> ControlPlaneTarget.parse(target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(problem);
  }

  @org.junit.jupiter.api.Test
  void controlPlaneServer_badTarget_messageNamesValueAndForms() {
    assertThatThrownBy(() -> ControlPlaneServer.plaintext("istiod"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "target \"istiod\" has no port; use host:port, dns:///host:port or unix:///path, e.g. "
                + "\"istiod.istio-system.svc:15012\"");
    assertThat(ControlPlaneServer.plaintext("localhost:1").bearerTokenFile()).isEqualTo(Optional.empty());
  }
}
