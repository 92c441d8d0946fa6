package dev.inboard.mesh.agent.authz;

import static dev.inboard.mesh.agent.authz.RbacMatchers.authenticated;
import static dev.inboard.mesh.agent.authz.RbacMatchers.cidr;
import static dev.inboard.mesh.agent.authz.RbacMatchers.jwtClaim;
import static dev.inboard.mesh.agent.authz.RbacMatchers.jwtClaimListOrValue;
import static dev.inboard.mesh.agent.authz.RbacMatchers.principalAnd;
import static dev.inboard.mesh.agent.authz.RbacMatchers.principalOr;
import static dev.inboard.mesh.agent.authz.RbacMatchers.stringOr;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.type.matcher.v3.ListMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A policy attribute (a {@code from}/{@code to} field or a {@code when} key) and how its values become RBAC matchers.
 * Destination-side attributes become permissions, source- and request-side ones principals. Most attributes turn each
 * value into one matcher and OR them; the {@linkplain #extended() extended} ones turn the whole value list into one
 * matcher. Attributes a TCP filter cannot see fail with "is HTTP only" when generating for TCP.
 */
enum Attribute {
  DESTINATION_IP {
    @Override
    Permission permission(String key, String value, boolean forTcp) throws RuleException {
      return Permission.newBuilder().setDestinationIp(cidr(IpPrefix.parse(value))).build();
    }
  },
  DESTINATION_PORT {
    @Override
    Permission permission(String key, String value, boolean forTcp) throws RuleException {
      return Permission.newBuilder().setDestinationPort(port(value)).build();
    }
  },
  CONNECTION_SNI {
    @Override
    Permission permission(String key, String value, boolean forTcp) {
      return Permission.newBuilder().setRequestedServerName(RbacMatchers.string(value)).build();
    }
  },
  /** {@code experimental.envoy.filters.<filter>[<key>]}: dynamic metadata of another filter. */
  ENVOY_FILTER_METADATA {
    @Override
    boolean extended() {
      return true;
    }

    @Override
    Permission extendedPermission(String key, List<String> values, boolean forTcp) throws RuleException {
      String body = key.substring("experimental.".length());
      if (body.endsWith("]")) {
        body = body.substring(0, body.length() - 1);
      }
      int open = body.indexOf('[');
      if (open < 0) {
        throw new RuleException("invalid key: " + key);
      }
      List<ValueMatcher> matchers = new ArrayList<>(values.size());
      for (String value : values) {
        if (value.startsWith("[") && value.endsWith("]")) {
          ValueMatcher element = ValueMatcher.newBuilder().setStringMatch(RbacMatchers.string(trimBrackets(value))).build();
          matchers.add(ValueMatcher.newBuilder().setListMatch(ListMatcher.newBuilder().setOneOf(element)).build());
        } else {
          matchers.add(ValueMatcher.newBuilder().setStringMatch(RbacMatchers.string(value)).build());
        }
      }
      return Permission.newBuilder().setMetadata(RbacMatchers.metadata(
          body.substring(0, open), List.of(body.substring(open + 1)), RbacMatchers.or(matchers))).build();
    }
  },
  HOST {
    @Override
    Permission permission(String key, String value, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      return Permission.newBuilder().setHeader(RbacMatchers.host(":authority", value)).build();
    }
  },
  METHOD {
    @Override
    Permission permission(String key, String value, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      return Permission.newBuilder().setHeader(RbacMatchers.header(":method", value)).build();
    }
  },
  PATH {
    @Override
    Permission permission(String key, String value, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      if (RbacMatchers.isPathTemplate(value)) {
        return Permission.newBuilder().setUriTemplate(RbacMatchers.pathTemplate(value)).build();
      }
      return Permission.newBuilder().setUrlPath(RbacMatchers.path(value)).build();
    }
  },
  SOURCE_IP {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace)
        throws RuleException {
      return Principal.newBuilder().setDirectRemoteIp(cidr(IpPrefix.parse(value))).build();
    }
  },
  REMOTE_IP {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace)
        throws RuleException {
      return Principal.newBuilder().setRemoteIp(cidr(IpPrefix.parse(value))).build();
    }
  },
  SOURCE_NAMESPACE {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace) {
      // The name is literal except for '*', which matches any run of characters.
      String namespaceRegex = RbacMatchers.quote(value).replace("\\*", ".*");
      return authenticated(RbacMatchers.regex(".*/ns/" + namespaceRegex + "/.*"), useAuthenticated);
    }
  },
  /** {@code <sa>} (in the policy's namespace) or {@code <namespace>/<sa>}. */
  SOURCE_SERVICE_ACCOUNT {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace) {
      int slash = value.indexOf('/');
      String ns = slash < 0 ? namespace : value.substring(0, slash);
      String sa = slash < 0 ? value : value.substring(slash + 1);
      // Trust domain and any path segments, then /ns/<ns>/, optional segments, /sa/<sa>, then the end or more
      // segments (so "sa/foo" does not match "sa/foo-bar").
      String regex = "spiffe://.+/ns/" + RbacMatchers.quote(ns) + "/(.+/|)sa/" + RbacMatchers.quote(sa) + "(/.+)?";
      return authenticated(RbacMatchers.regex(regex), useAuthenticated);
    }
  },
  SOURCE_PRINCIPAL {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace) {
      return authenticated(RbacMatchers.stringWithPrefix(value, "spiffe://"), useAuthenticated);
    }
  },
  /** {@code <iss>/<sub>} of the request's JWT, split at the last slash since issuers are often URLs. */
  REQUEST_PRINCIPAL {
    @Override
    boolean extended() {
      return true;
    }

    @Override
    @Nullable Principal extendedPrincipal(String key, List<String> values, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      List<Principal> or = new ArrayList<>(values.size());
      for (String value : values) {
        or.add(requestPrincipal(value));
      }
      if (or.isEmpty()) {
        return null;
      }
      return or.size() == 1 ? or.get(0) : principalOr(or);
    }
  },
  REQUEST_AUDIENCES {
    @Override
    boolean extended() {
      return true;
    }

    @Override
    Principal extendedPrincipal(String key, List<String> values, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      return Principal.newBuilder().setMetadata(jwtClaimListOrValue(List.of("aud"), stringOr(values))).build();
    }
  },
  REQUEST_PRESENTER {
    @Override
    boolean extended() {
      return true;
    }

    @Override
    Principal extendedPrincipal(String key, List<String> values, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      return Principal.newBuilder().setMetadata(jwtClaimListOrValue(List.of("azp"), stringOr(values))).build();
    }
  },
  /** {@code request.auth.claims[a][b]}: a (nested) JWT claim, a string or a list holding the value. */
  REQUEST_CLAIM {
    @Override
    boolean extended() {
      return true;
    }

    @Override
    Principal extendedPrincipal(String key, List<String> values, boolean forTcp) throws RuleException {
      httpOnly(key, forTcp);
      List<String> claims = nestedBracketNames(key.substring("request.auth.claims".length()));
      return Principal.newBuilder().setMetadata(jwtClaimListOrValue(claims, stringOr(values))).build();
    }
  },
  REQUEST_HEADER {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace)
        throws RuleException {
      httpOnly(key, forTcp);
      String name = bracketName(key.substring("request.headers".length()));
      return Principal.newBuilder().setHeader(RbacMatchers.header(name, value)).build();
    }
  },
  /** {@code request.experimental.inline.headers[name]}: a header that may carry a comma-separated list. */
  REQUEST_INLINE_HEADER {
    @Override
    Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace)
        throws RuleException {
      httpOnly(key, forTcp);
      String name = bracketName(key.substring("request.experimental.inline.headers".length()));
      return Principal.newBuilder().setHeader(RbacMatchers.inlineHeader(name, value)).build();
    }
  };

  /** Whether the attribute turns its whole value list into one matcher. */
  boolean extended() {
    return false;
  }

  Permission permission(String key, String value, boolean forTcp) throws RuleException {
    throw new RuleException(key + " is not a destination attribute");
  }

  Principal principal(String key, String value, boolean forTcp, boolean useAuthenticated, String namespace)
      throws RuleException {
    throw new RuleException(key + " is not a source attribute");
  }

  @Nullable Permission extendedPermission(String key, List<String> values, boolean forTcp) throws RuleException {
    throw new RuleException(key + " is not a destination attribute");
  }

  @Nullable Principal extendedPrincipal(String key, List<String> values, boolean forTcp) throws RuleException {
    throw new RuleException(key + " is not a source attribute");
  }

  private static void httpOnly(String key, boolean forTcp) throws RuleException {
    if (forTcp) {
      throw new RuleException("\"" + key + "\" is HTTP only");
    }
  }

  static int port(String value) throws RuleException {
    if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')
        || Long.parseLong(value) > 65535) {
      throw new RuleException("invalid port " + value);
    }
    return Integer.parseInt(value);
  }

  /** Strips every leading and trailing bracket, as a list value {@code [v]} is written. */
  private static String trimBrackets(String value) {
    int begin = 0;
    int end = value.length();
    while (begin < end && (value.charAt(begin) == '[' || value.charAt(begin) == ']')) {
      begin++;
    }
    while (end > begin && (value.charAt(end - 1) == '[' || value.charAt(end - 1) == ']')) {
      end--;
    }
    return value.substring(begin, end);
  }

  static String bracketName(String text) throws RuleException {
    if (!text.startsWith("[") || !text.endsWith("]") || text.length() < 2) {
      throw new RuleException("expecting format [<NAME>], but found " + text);
    }
    return text.substring(1, text.length() - 1);
  }

  /** {@code [a][b][c]} to {@code [a, b, c]}; text that is not a bracket chain must be a single {@code [name]}. */
  static List<String> nestedBracketNames(String text) throws RuleException {
    List<String> names = new ArrayList<>();
    int begin = 0;
    while (begin < text.length()) {
      int end = endBracket(text, begin);
      if (end < 0) {
        return List.of(bracketName(text));
      }
      names.add(text.substring(begin + 1, end));
      begin = end + 1;
    }
    if (names.isEmpty()) {
      throw new RuleException("expecting format [<NAME>], but found " + text);
    }
    return names;
  }

  private static int endBracket(String text, int begin) {
    if (text.charAt(begin) != '[') {
      return -1;
    }
    for (int i = begin + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        return -1;
      }
      if (c == ']') {
        return i;
      }
    }
    return -1;
  }

  /** Both the issuer and the subject must match; a value without a slash is an issuer with an empty subject. */
  private static Principal requestPrincipal(String value) {
    StringMatcher any = RbacMatchers.regex(".+");
    int slash = value.lastIndexOf('/');
    boolean split = slash >= 0;
    String iss = split ? value.substring(0, slash) : value;
    String sub = split ? value.substring(slash + 1) : "";
    StringMatcher matchIss;
    StringMatcher matchSub;
    if (value.equals("*")) {
      matchIss = any;
      matchSub = any;
    } else if (value.startsWith("*")) {
      if (split) {
        matchIss = iss.equals("*") ? any : RbacMatchers.suffix(iss.substring(1), false);
        matchSub = RbacMatchers.exact(sub, false);
      } else {
        matchIss = any;
        matchSub = RbacMatchers.suffix(value.substring(1), false);
      }
    } else if (value.endsWith("*")) {
      if (split) {
        matchIss = RbacMatchers.exact(iss, false);
        matchSub = sub.equals("*") ? any : RbacMatchers.prefix(sub.substring(0, sub.length() - 1), false);
      } else {
        matchIss = RbacMatchers.prefix(value.substring(0, value.length() - 1), false);
        matchSub = any;
      }
    } else {
      matchIss = RbacMatchers.exact(iss, false);
      matchSub = RbacMatchers.exact(sub, false);
    }
    return principalAnd(List.of(
        Principal.newBuilder().setMetadata(jwtClaim("iss", matchIss)).build(),
        Principal.newBuilder().setMetadata(jwtClaim("sub", matchSub)).build()));
  }
}
