package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubernetesUrlTest {
  @Test
  void absoluteUrl_splitsSchemeHostAndPath() {
    KubernetesUrl url = KubernetesUrl.parse("HTTPS://user@Example.com:8443/a%20b?q=1").url().orElseThrow();

    assertThat(url).isEqualTo(new KubernetesUrl("https", "Example.com:8443", "/a%20b"));
    assertThat(url.hostname()).isEqualTo("Example.com");
    assertThat(url.port()).isEqualTo("8443");
  }

  @Test
  void ipv6Host_keepsBracketsInHostOnly() {
    KubernetesUrl url = KubernetesUrl.parse("http://[::1]:80/").url().orElseThrow();

    assertThat(url.hostname()).isEqualTo("::1");
    assertThat(url.port()).isEqualTo("80");
  }

  @Test
  void pathOnlyAndOpaque_areRequestUris() {
    assertThat(KubernetesUrl.parse("/jwks").url()).contains(new KubernetesUrl("", "", "/jwks"));
    assertThat(KubernetesUrl.parse("mailto:ops@example.com").url()).contains(new KubernetesUrl("mailto", "", ""));
  }

  @Test
  void malformed_isRejectedWithTheReason() {
    assertThat(KubernetesUrl.parse("example.com/jwks").error()).isEqualTo("invalid URI for request");
    assertThat(KubernetesUrl.parse(":8080/x").error()).isEqualTo("missing protocol scheme");
    assertThat(KubernetesUrl.parse("http://a b/").error()).isEqualTo("invalid character \" \" in host name");
    assertThat(KubernetesUrl.parse("http://host:80x/").error()).isEqualTo("invalid port \":80x\" after host");
    assertThat(KubernetesUrl.parse("http://host/%zz").error()).isEqualTo("invalid URL escape \"%zz\"");
    assertThat(KubernetesUrl.parse("http://host/\u0001").error()).isEqualTo("invalid control character in URL");
  }
}
