package dev.inboard.mesh.agent.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.authz.ExtensionProvider.EnvoyExtAuthzGrpc;
import dev.inboard.mesh.agent.authz.ExtensionProvider.EnvoyExtAuthzHttp;
import dev.inboard.mesh.agent.authz.ExtensionProvider.RequestBody;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's AuthorizationPolicy builder goldens (testdata/http and testdata/tcp): every input is selected for the
 * workload {@code foo} / {@code app=httpbin, version=v1}, built, and compared filter by filter with the expected
 * output files.
 */
class RbacGoldenTest {
  static final String EXT_AUTHZ_HOST = "my-custom-ext-authz.foo.svc.cluster.local";
  static final ServiceIndex SERVICES = ServiceIndex.empty().with(EXT_AUTHZ_HOST, "foo");
  static final Map<String, String> HTTPBIN = Map.of("app", "httpbin", "version", "v1");

  static final RbacSettings NO_PROVIDERS = RbacSettings.defaults();
  static final RbacSettings GRPC_NO_NAMESPACE = providers(new EnvoyExtAuthzGrpc("default", EXT_AUTHZ_HOST, 9000,
      Optional.empty(), true, "403", Optional.empty()));
  static final RbacSettings GRPC = providers(new EnvoyExtAuthzGrpc("default", "foo/" + EXT_AUTHZ_HOST, 9000,
      Optional.of(Duration.ofMillis(2)), true, "403", Optional.of(new RequestBody(4096, true, false))));
  static final RbacSettings HTTP = providers(new EnvoyExtAuthzHttp("default", "foo/" + EXT_AUTHZ_HOST, 9000,
      Optional.of(Duration.ofSeconds(10)), true, "403", "/check",
      List.of("x-custom-id", "x-prefix-*", "*-suffix"),
      List.of("should-not-include-when-IncludeRequestHeadersInCheck-is-set"),
      Map.of("x-header-1", "value-1", "x-header-2", "value-2"),
      Optional.of(new RequestBody(2048, true, true)),
      List.of("Authorization", "x-prefix-*", "*-suffix"),
      List.of("Set-cookie", "x-prefix-*", "*-suffix"),
      List.of("Set-cookie", "x-prefix-*", "*-suffix")));
  static final RbacSettings INVALID = providers(new EnvoyExtAuthzHttp("default", "foo/my-custom-ext-authz", 999999,
      Optional.empty(), false, "999", "check", List.of(), List.of(), Map.of(), Optional.empty(), List.of(), List.of(),
      List.of()));

  private static RbacSettings providers(ExtensionProvider provider) {
    return RbacSettings.defaults().withExtensionProviders(List.of(provider), SERVICES);
  }

  static Stream<Arguments> httpCases() {
    return Stream.of(
        http("allow-empty-rule", "allow-empty-rule-in", NO_PROVIDERS, "allow-empty-rule-out"),
        http("allow-full-rule", "allow-full-rule-in", NO_PROVIDERS, "allow-full-rule-out"),
        http("allow-nil-rule", "allow-nil-rule-in", NO_PROVIDERS, "allow-nil-rule-out"),
        http("allow-path", "allow-path-in", NO_PROVIDERS, "allow-path-out"),
        http("audit-full-rule", "audit-full-rule-in", NO_PROVIDERS, "audit-full-rule-out"),
        http("custom-grpc-provider-no-namespace", "custom-simple-http-in", GRPC_NO_NAMESPACE,
            "custom-grpc-provider-no-namespace-out1", "custom-grpc-provider-no-namespace-out2"),
        http("custom-grpc-provider", "custom-simple-http-in", GRPC,
            "custom-grpc-provider-out1", "custom-grpc-provider-out2"),
        http("custom-http-provider", "custom-simple-http-in", HTTP,
            "custom-http-provider-out1", "custom-http-provider-out2"),
        http("custom-bad-multiple-providers", "custom-bad-multiple-providers-in", HTTP,
            "custom-bad-multiple-providers-out1", "custom-bad-multiple-providers-out2"),
        http("custom-bad-invalid-config", "custom-simple-http-in", INVALID, "custom-bad-out"),
        http("deny-empty-rule", "deny-empty-rule-in", NO_PROVIDERS, "deny-empty-rule-out"),
        http("dry-run-allow", "dry-run-allow-in", NO_PROVIDERS, "dry-run-allow-out"),
        http("multiple-policies", "multiple-policies-in", NO_PROVIDERS, "multiple-policies-out"),
        http("single-policy", "single-policy-in", NO_PROVIDERS, "single-policy-out"))
        // Upstream runs every HTTP case a second time against its extended-* copies of the goldens.
        .flatMap(a -> Stream.of(a, extended(a)));
  }

  static Stream<Arguments> tcpCases() {
    return Stream.of(
        Arguments.of("allow-both-http-tcp", "allow-both-http-tcp-in", NO_PROVIDERS, List.of("allow-both-http-tcp-out")),
        Arguments.of("allow-only-http", "allow-only-http-in", NO_PROVIDERS, List.of("allow-only-http-out")),
        Arguments.of("audit-both-http-tcp", "audit-both-http-tcp-in", NO_PROVIDERS, List.of("audit-both-http-tcp-out")),
        Arguments.of("custom-both-http-tcp", "custom-both-http-tcp-in", GRPC,
            List.of("custom-both-http-tcp-out1", "custom-both-http-tcp-out2")),
        Arguments.of("custom-only-http", "custom-only-http-in", HTTP, List.of()));
  }

  private static Arguments http(String name, String input, RbacSettings settings, String... outputs) {
    return Arguments.of(name, input, settings, List.of(outputs));
  }

  @SuppressWarnings("unchecked")
  private static Arguments extended(Arguments plain) {
    Object[] a = plain.get();
    List<String> outputs = ((List<String>) a[3]).stream().map(o -> "extended-" + o).toList();
    return Arguments.of("extended-" + a[0], a[1], a[2], outputs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("httpCases")
  void http_case_matchesIstioGolden(String name, String input, RbacSettings settings, List<String> outputs) {
    RbacFilterBuilder builder = new RbacFilterBuilder(selected("http", input), settings);

    List<HttpFilter> expected = outputs.stream()
        .map(o -> RbacProtos.httpFilter(RbacProtos.resource("/istio/authz/http/" + o + ".yaml"))).toList();
    RbacProtos.assertSameFilters(builder.buildHttp(), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tcpCases")
  void tcp_case_matchesIstioGolden(String name, String input, RbacSettings settings, List<String> outputs) {
    RbacFilterBuilder builder = new RbacFilterBuilder(selected("tcp", input), settings);

    List<Filter> expected = outputs.stream()
        .map(o -> RbacProtos.networkFilter(RbacProtos.resource("/istio/authz/tcp/" + o + ".yaml"))).toList();
    RbacProtos.assertSameNetworkFilters(builder.buildTcp(), expected);
  }

  private static List<AuthzPolicy> selected(String dir, String input) {
    AuthorizationPolicyYaml.Loaded loaded =
        AuthorizationPolicyYaml.parse(RbacProtos.resource("/istio/authz/" + dir + "/" + input + ".yaml"), "default");
    assertThat(loaded.skipped()).isEmpty();
    assertThat(loaded.policies()).isNotEmpty();
    return PolicySelector.withDefaultRoot().select(loaded.policies(), "foo", HTTPBIN);
  }
}
