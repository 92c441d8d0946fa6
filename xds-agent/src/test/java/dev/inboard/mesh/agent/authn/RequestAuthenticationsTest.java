package dev.inboard.mesh.agent.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.IstioYamlLoader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestAuthenticationsTest {
  static final String POLICIES = """
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata: {name: mesh, namespace: istio-system}
      spec:
        jwtRules:
        - issuer: https://accounts.example.com
          jwksUri: https://accounts.example.com/.well-known/jwks.json
      ---
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata: {name: httpbin, namespace: foo}
      spec:
        selector: {matchLabels: {app: httpbin}}
        jwtRules:
        - issuer: testing@secure.istio.io
          jwks: '{"keys": []}'
          audiences: [httpbin]
          fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
          fromParams: [token]
          forwardOriginalToken: true
          outputClaimToHeaders: [{header: x-sub, claim: sub}]
      ---
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata: {name: other, namespace: foo}
      spec:
        selector: {matchLabels: {app: other}}
        jwtRules: [{issuer: nobody}]
      """;

  @Test
  void oneRule_providerOrAllowMissing() throws Exception {
    var config = IstioYamlLoader.loadString(POLICIES, "ra.yaml").toConfigSet();
    var rules = RequestAuthentications.rulesFor(config, "bar", Map.of("app", "httpbin"), "istio-system");

    JwtAuthentication jwt = RequestAuthentications.filter(rules).orElseThrow().getTypedConfig()
        .unpack(JwtAuthentication.class);

    assertThat(jwt.getProvidersMap()).containsOnlyKeys("origins-0");
    var provider = jwt.getProvidersOrThrow("origins-0");
    assertThat(provider.getIssuer()).isEqualTo("https://accounts.example.com");
    assertThat(provider.getPayloadInMetadata()).isEqualTo("https://accounts.example.com");
    assertThat(provider.getRemoteJwks().getHttpUri().getCluster()).isEqualTo("outbound|443||accounts.example.com");
    JwtRequirement requires = jwt.getRules(0).getRequires();
    assertThat(requires.getRequiresAny().getRequirementsList()).extracting(r -> r.getRequiresTypeCase().name())
        .containsExactly("PROVIDER_NAME", "ALLOW_MISSING");
    assertThat(jwt.getBypassCorsPreflight()).isTrue();
  }

  @Test
  void workloadThenMeshRules_everyProviderOrAllMissing() throws Exception {
    var config = IstioYamlLoader.loadString(POLICIES, "ra.yaml").toConfigSet();
    var rules = RequestAuthentications.rulesFor(config, "foo", Map.of("app", "httpbin"), "istio-system");

    JwtAuthentication jwt = RequestAuthentications.filter(rules).orElseThrow().getTypedConfig()
        .unpack(JwtAuthentication.class);

    assertThat(jwt.getProvidersMap()).containsOnlyKeys("origins-0", "origins-1");
    assertThat(jwt.getProvidersOrThrow("origins-1").getIssuer()).isEqualTo("https://accounts.example.com");
    var local = jwt.getProvidersOrThrow("origins-0");
    assertThat(local.getLocalJwks().getInlineString()).isEqualTo("{\"keys\": []}");
    assertThat(local.getAudiencesList()).containsExactly("httpbin");
    assertThat(local.getFromHeaders(0).getValuePrefix()).isEqualTo("Bearer ");
    assertThat(local.getFromParamsList()).containsExactly("token");
    assertThat(local.getForward()).isTrue();
    assertThat(local.getClaimToHeaders(0).getHeaderName()).isEqualTo("x-sub");
    var or = jwt.getRules(0).getRequires().getRequiresAny().getRequirementsList();
    assertThat(or).hasSize(3);
    assertThat(or.get(0).getProviderName()).isEqualTo("origins-0");
    assertThat(or.get(1).getProviderName()).isEqualTo("origins-1");
    assertThat(or.get(2).getRequiresAll().getRequirementsList()).hasSize(2);
  }

  @Test
  void noRules_noFilter() {
    assertThat(RequestAuthentications.filter(java.util.List.of())).isEmpty();
  }
}
