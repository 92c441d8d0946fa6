package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.HeaderMatcher.Match;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.RouteMatch.PathMatcher;
import dev.inboard.mesh.config.RouteMatch.QueryParameterMatcher;
import dev.inboard.mesh.config.StringMatcher;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteMatchParserTest {

  @Test
  void pathSpecifiers_mapToPathMatchers() throws Exception {
    assertThat(match("{\"prefix\": \"/reviews\"}").path()).isEqualTo(new PathMatcher.Prefix("/reviews"));
    assertThat(match("{\"path\": \"/reviews/0\"}").path()).isEqualTo(new PathMatcher.Exact("/reviews/0"));
    assertThat(match("{\"safeRegex\": {\"regex\": \"/reviews/[0-9]+\"}}").path())
        .isEqualTo(new PathMatcher.Regex("/reviews/[0-9]+"));
    assertThat(match("{\"pathSeparatedPrefix\": \"/api/dev\"}").path())
        .isEqualTo(new PathMatcher.PathSeparatedPrefix("/api/dev"));
  }

  @Test
  void grpcServiceRoute_withCaseInsensitiveRuntimeFractionAndGrpcFlag_isKept() throws Exception {
    RouteMatch m = match("""
        {"prefix": "/istio.echo.proto.EchoTestService/", "caseSensitive": false,
         "runtimeFraction": {"defaultValue": {"numerator": 25}, "runtimeKey": "routing.canary"},
         "grpc": {}}""");
    assertThat(m).isEqualTo(new RouteMatch(new PathMatcher.Prefix("/istio.echo.proto.EchoTestService/"), false,
        List.of(), List.of(), Optional.of(new Fraction(250_000)), true));
  }

  @Test
  @SuppressWarnings("deprecation")
  void headerMatchers_legacyFieldsAndStringMatch_mapOntoStringMatchers() throws Exception {
    RouteMatch m = match("""
        {"prefix": "/", "headers": [
          {"name": "end-user", "exactMatch": "jason"},
          {"name": "x-version", "prefixMatch": "v2"},
          {"name": "user-agent", "suffixMatch": "Firefox"},
          {"name": "cookie", "containsMatch": "session="},
          {"name": "x-request-id", "safeRegexMatch": {"regex": "[0-9a-f-]+"}},
          {"name": "X-Region", "stringMatch": {"exact": "EU", "ignoreCase": true}},
          {"name": "x-debug", "presentMatch": false},
          {"name": "x-priority", "rangeMatch": {"start": "1", "end": "10"}, "invertMatch": true},
          {"name": "x-canary"},
          {"name": "x-tenant", "stringMatch": {"safeRegex": {"regex": "^$"}}, "treatMissingHeaderAsEmpty": true}
        ]}""");
    assertThat(m.headers()).containsExactly(
        header("end-user", new Match.Value(new StringMatcher.Exact("jason", false))),
        header("x-version", new Match.Value(new StringMatcher.Prefix("v2", false))),
        header("user-agent", new Match.Value(new StringMatcher.Suffix("Firefox", false))),
        header("cookie", new Match.Value(new StringMatcher.Contains("session=", false))),
        header("x-request-id", new Match.Value(new StringMatcher.Regex("[0-9a-f-]+"))),
        header("x-region", new Match.Value(new StringMatcher.Exact("EU", true))),
        header("x-debug", new Match.Present(false)),
        new HeaderMatcher("x-priority", new Match.Range(1, 10), true, false),
        header("x-canary", new Match.Present(true)),
        new HeaderMatcher("x-tenant", new Match.Value(new StringMatcher.Regex("^$")), false, true));
  }

  @Test
  void queryParameters_stringMatchOrPresence() throws Exception {
    RouteMatch m = match("""
        {"prefix": "/", "queryParameters": [
          {"name": "debug", "presentMatch": true},
          {"name": "version", "stringMatch": {"exact": "2"}},
          {"name": "legacy"}
        ]}""");
    assertThat(m.queryParameters()).containsExactly(
        new QueryParameterMatcher("debug", Optional.empty()),
        new QueryParameterMatcher("version", Optional.of(new StringMatcher.Exact("2", false))),
        new QueryParameterMatcher("legacy", Optional.empty()));
  }

  @Test
  void pathSpecifier_missing_isRejected() {
    assertThatThrownBy(() -> match("{\"headers\": [{\"name\": \"a\"}]}"))
        .hasMessage("one of prefix, path, safe_regex or path_separated_prefix must be set");
  }

  @Test
  void unsupportedMatchers_areRejectedNotIgnored() {
    assertThatThrownBy(() -> match("{\"connectMatcher\": {}}")).hasMessage("connect_matcher: not supported");
    assertThatThrownBy(() -> match("""
        {"pathMatchPolicy": {"name": "envoy.path.match.uri_template.uri_template_matcher",
                             "typedConfig": {"@type": "type.googleapis.com/udpa.type.v1.TypedStruct"}}}"""))
        .hasMessage("path_match_policy: not supported (extension 'envoy.path.match.uri_template.uri_template_matcher')");
    assertThatThrownBy(() -> match("{\"prefix\": \"/\", \"tlsContext\": {\"presented\": true}}"))
        .hasMessage("tls_context: not supported");
    assertThatThrownBy(() -> match("""
        {"prefix": "/", "dynamicMetadata": [{"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "sub"}],
                                             "value": {"stringMatch": {"exact": "alice"}}}]}"""))
        .hasMessage("dynamic_metadata: not supported");
  }

  @Test
  void badRegexes_areRejectedWithTheirPath() {
    assertThatThrownBy(() -> match("{\"safeRegex\": {\"regex\": \"/reviews/[0-9\"}}"))
        .hasMessage("safe_regex.regex: invalid RE2 regex '/reviews/[0-9': missing closing ]");
    assertThatThrownBy(() -> match("""
        {"prefix": "/", "headers": [{"name": "a", "exactMatch": "b"}, {"name": "c", "safeRegexMatch": {"regex": "x(?=y)"}}]}"""))
        .hasMessageStartingWith("headers[1].safe_regex_match.regex: invalid RE2 regex 'x(?=y)': ");
    assertThatThrownBy(() -> match("""
        {"prefix": "/", "queryParameters": [{"name": "q", "stringMatch": {"safeRegex": {"regex": "a**"}}}]}"""))
        .hasMessageStartingWith("query_parameters[0].string_match.safe_regex.regex: invalid RE2 regex 'a**': ");
  }

  @Test
  void malformedMatchers_areRejected() {
    assertThatThrownBy(() -> match("{\"pathSeparatedPrefix\": \"/api/\"}"))
        .hasMessage("path_separated_prefix: must be non-empty, free of '?' and '#', and not end with '/', was "
            + "'/api/'");
    assertThatThrownBy(() -> match("{\"prefix\": \"/\", \"headers\": [{\"stringMatch\": {\"exact\": \"x\"}}]}"))
        .hasMessage("headers[0].name: must not be empty");
    assertThatThrownBy(() -> match("{\"prefix\": \"/\", \"headers\": [{\"name\": \"a\", \"prefixMatch\": \"\"}]}"))
        .hasMessage("headers[0].prefix_match: must not be empty");
    assertThatThrownBy(() -> match("{\"prefix\": \"/\", \"queryParameters\": [{\"presentMatch\": true}]}"))
        .hasMessage("query_parameters[0].name: must not be empty");
    assertThatThrownBy(() -> match("""
        {"prefix": "/", "runtimeFraction": {"defaultValue": {"numerator": 1, "denominator": 7}}}"""))
        .hasMessage("runtime_fraction.default_value.denominator: unknown value 7");
  }

  private static HeaderMatcher header(String name, Match match) {
    return new HeaderMatcher(name, match, false, false);
  }

  private static RouteMatch match(String json) throws XdsValidationException {
    return RouteMatchParser.match(
        LdsRdsProtoJson.message(json, io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder()));
  }
}
