package dev.inboard.mesh.agent.authz;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig;
import io.envoyproxy.envoy.type.matcher.v3.FilterStateMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.OrMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The Envoy matcher shapes Istio policy values become. A value is exact, a prefix ({@code abc*}), a suffix
 * ({@code *abc}) or the wildcard {@code *} (present / {@code .+}), and each kind has one Envoy form per field.
 */
final class RbacMatchers {
  static final String JWT_FILTER = "envoy.filters.http.jwt_authn";
  static final String JWT_PAYLOAD = "payload";
  static final String PEER_PRINCIPAL_FILTER_STATE = "io.istio.peer_principal";
  static final String URI_TEMPLATE_EXTENSION = "uri-template";

  private RbacMatchers() {}

  /** {@code *} is {@code .+}; {@code *x} a suffix; {@code x*} a prefix; anything else exact. */
  static StringMatcher string(String value) {
    return stringWithPrefix(value, "");
  }

  /**
   * Like {@link #string} with {@code prefix} put in front of the value; a suffix value then needs a regex because a
   * matcher cannot be both a prefix and a suffix. The wildcard ignores the prefix.
   */
  static StringMatcher stringWithPrefix(String value, String prefix) {
    if (value.equals("*")) {
      return regex(".+");
    }
    if (value.startsWith("*")) {
      return prefix.isEmpty() ? suffix(value.substring(1), false) : regex(prefix + ".*" + value.substring(1));
    }
    if (value.endsWith("*")) {
      return prefix(prefix + value.substring(0, value.length() - 1), false);
    }
    return exact(prefix + value, false);
  }

  static StringMatcher regex(String regex) {
    return StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex)).build();
  }

  static StringMatcher exact(String value, boolean ignoreCase) {
    return StringMatcher.newBuilder().setExact(value).setIgnoreCase(ignoreCase).build();
  }

  static StringMatcher prefix(String value, boolean ignoreCase) {
    return StringMatcher.newBuilder().setPrefix(value).setIgnoreCase(ignoreCase).build();
  }

  static StringMatcher suffix(String value, boolean ignoreCase) {
    return StringMatcher.newBuilder().setSuffix(value).setIgnoreCase(ignoreCase).build();
  }

  /** A request header; {@code *} means the header is present. */
  static HeaderMatcher header(String name, String value) {
    return header(name, value, false);
  }

  /** The {@code :authority} header, matched ignoring case. */
  static HeaderMatcher host(String name, String value) {
    return header(name, value, true);
  }

  private static HeaderMatcher header(String name, String value, boolean ignoreCase) {
    HeaderMatcher.Builder out = HeaderMatcher.newBuilder().setName(name);
    if (value.equals("*")) {
      return out.setPresentMatch(true).build();
    }
    if (value.startsWith("*")) {
      return out.setStringMatch(suffix(value.substring(1), ignoreCase)).build();
    }
    if (value.endsWith("*")) {
      return out.setStringMatch(prefix(value.substring(0, value.length() - 1), ignoreCase)).build();
    }
    return out.setStringMatch(exact(value, ignoreCase)).build();
  }

  /**
   * A header whose value may be a comma-separated list (RFC 7230): the value matches when it is the whole header
   * or any element of the list.
   */
  static HeaderMatcher inlineHeader(String name, String value) {
    if (value.equals("*")) {
      return HeaderMatcher.newBuilder().setName(name).setPresentMatch(true).build();
    }
    String regex;
    if (value.startsWith("*")) {
      regex = ".*" + quote(value.substring(1));
    } else if (value.endsWith("*")) {
      regex = quote(value.substring(0, value.length() - 1)) + ".*";
    } else {
      regex = quote(value);
    }
    String any = "^" + regex + "$|^" + regex + ",.*|.*," + regex + ",.*|.*," + regex + "$";
    return HeaderMatcher.newBuilder().setName(name)
        .setSafeRegexMatch(RegexMatcher.newBuilder().setRegex(any)).build();
  }

  /** Escapes RE2 metacharacters with backslashes (not with \Q..\E, which reads poorly in a config dump). */
  static String quote(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (char c : literal.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  static PathMatcher path(String value) {
    return PathMatcher.newBuilder().setPath(string(value)).build();
  }

  /** True when a path uses {@code {*}} (one segment) or {@code {**}} (any segments). */
  static boolean isPathTemplate(String path) {
    return path.contains("{*}") || path.contains("{**}");
  }

  /** A uri_template extension matching the path with Istio's {@code {*}}/{@code {**}} as Envoy's {@code *}/{@code **}. */
  static TypedExtensionConfig pathTemplate(String path) {
    StringBuilder template = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); ) {
      if (path.startsWith("{*}", i)) {
        template.append('*');
        i += 3;
      } else if (path.startsWith("{**}", i)) {
        template.append("**");
        i += 4;
      } else {
        template.append(path.charAt(i++));
      }
    }
    UriTemplateMatchConfig config = UriTemplateMatchConfig.newBuilder().setPathTemplate(template.toString()).build();
    return TypedExtensionConfig.newBuilder().setName(URI_TEMPLATE_EXTENSION).setTypedConfig(Any.pack(config)).build();
  }

  /** OR of string matchers, or the single matcher itself. */
  static ValueMatcher stringOr(List<String> values) {
    List<ValueMatcher> matchers = new ArrayList<>(values.size());
    for (String value : values) {
      matchers.add(ValueMatcher.newBuilder().setStringMatch(string(value)).build());
    }
    return or(matchers);
  }

  static ValueMatcher or(List<ValueMatcher> matchers) {
    if (matchers.size() == 1) {
      return matchers.get(0);
    }
    return ValueMatcher.newBuilder().setOrMatch(OrMatcher.newBuilder().addAllValueMatchers(matchers)).build();
  }

  /** Dynamic metadata {@code filter} at {@code path} (one key per segment) matching {@code value}. */
  static MetadataMatcher metadata(String filter, List<String> path, ValueMatcher value) {
    MetadataMatcher.Builder out = MetadataMatcher.newBuilder().setFilter(filter).setValue(value);
    for (String key : path) {
      out.addPathBuilder().setKey(key);
    }
    return out.build();
  }

  /** A JWT claim of the request (from jwt_authn's {@code payload}) equal to {@code value}. */
  static MetadataMatcher jwtClaim(String claim, StringMatcher value) {
    return metadata(JWT_FILTER, List.of(JWT_PAYLOAD, claim), ValueMatcher.newBuilder().setStringMatch(value).build());
  }

  /**
   * A possibly nested JWT claim that matches when it is a string matching {@code value} or a list with one element
   * matching it.
   */
  static MetadataMatcher jwtClaimListOrValue(List<String> claims, ValueMatcher value) {
    List<String> path = new ArrayList<>(claims.size() + 1);
    path.add(JWT_PAYLOAD);
    path.addAll(claims);
    ValueMatcher list = ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder().setOneOf(value)).build();
    return metadata(JWT_FILTER, path, or(List.of(list, value)));
  }

  static CidrRange cidr(IpPrefix prefix) {
    return CidrRange.newBuilder().setAddressPrefix(prefix.address())
        .setPrefixLen(com.google.protobuf.UInt32Value.of(prefix.bits())).build();
  }

  /** The peer's mTLS identity, from the connection or from the filter state istio_authn leaves. */
  static Principal authenticated(StringMatcher name, boolean useAuthenticated) {
    if (useAuthenticated) {
      return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name)).build();
    }
    return Principal.newBuilder()
        .setFilterState(FilterStateMatcher.newBuilder().setKey(PEER_PRINCIPAL_FILTER_STATE).setStringMatch(name)).build();
  }

  static Permission permissionAny() {
    return Permission.newBuilder().setAny(true).build();
  }

  static Principal principalAny() {
    return Principal.newBuilder().setAny(true).build();
  }

  static Permission permissionAnd(List<Permission> rules) {
    return Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(rules)).build();
  }

  static Permission permissionOr(List<Permission> rules) {
    return Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(rules)).build();
  }

  static Permission permissionNot(Permission rule) {
    return Permission.newBuilder().setNotRule(rule).build();
  }

  static Principal principalAnd(List<Principal> ids) {
    return Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(ids)).build();
  }

  static Principal principalOr(List<Principal> ids) {
    return Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(ids)).build();
  }

  static Principal principalNot(Principal id) {
    return Principal.newBuilder().setNotId(id).build();
  }
}
