package dev.inboard.mesh.agent.analyze;

import java.util.Locale;
import java.util.Optional;

/**
 * A URL as the Kubernetes CEL library sees it ({@code url(string)}, {@code isURL(string)}): an absolute URI or an
 * absolute path, parsed with the rules of a request URI (Go's {@code url.ParseRequestURI}, which the API server
 * uses). Only what the URL functions expose is kept.
 *
 * @param scheme lower-cased scheme, empty for a bare path
 * @param host host and port as written ({@code example.com:8080}, {@code [::1]:80}), empty when absent
 * @param path the path as written (still escaped)
 */
record KubernetesUrl(String scheme, String host, String path) {

  /** The parsed URL, or the reason {@code text} is not a request URI. */
  static Result parse(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Result.error("invalid control character in URL");
      }
    }
    if (text.isEmpty()) {
      return Result.error("empty url");
    }
    if (text.equals("*")) {
      return Result.ok(new KubernetesUrl("", "", "*"));
    }
    String scheme = "";
    String rest = text;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c) && c < 0x80) {
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          break;
        }
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          return Result.error("missing protocol scheme");
        }
        scheme = text.substring(0, i).toLowerCase(Locale.ROOT);
        rest = text.substring(i + 1);
      }
      break;
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return Result.ok(new KubernetesUrl(scheme, "", ""));
      }
      return Result.error("invalid URI for request");
    }
    String host = "";
    if (!scheme.isEmpty() && rest.startsWith("//")) {
      String authority = rest.substring(2);
      int slash = authority.indexOf('/');
      rest = slash < 0 ? "" : authority.substring(slash);
      authority = slash < 0 ? authority : authority.substring(0, slash);
      int at = authority.lastIndexOf('@');
      host = at < 0 ? authority : authority.substring(at + 1);
      Optional<String> hostError = hostError(host);
      if (hostError.isPresent()) {
        return Result.error(hostError.get());
      }
    }
    Optional<String> escapeError = escapeError(rest);
    if (escapeError.isPresent()) {
      return Result.error(escapeError.get());
    }
    return Result.ok(new KubernetesUrl(scheme, host, rest));
  }

  /** The host without port or IPv6 brackets. */
  String hostname() {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host.substring(1) : host.substring(1, close);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** The port as written, or empty. */
  String port() {
    int from = host.startsWith("[") ? Math.max(host.indexOf(']'), 0) : 0;
    int colon = host.indexOf(':', from);
    return colon < 0 ? "" : host.substring(colon + 1);
  }

  private static Optional<String> hostError(String host) {
    String port = "";
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        return Optional.of("missing ']' in host");
      }
      String after = host.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        return Optional.of("invalid port \"" + after + "\" after host");
      }
      port = after.isEmpty() ? "" : after.substring(1);
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        port = host.substring(colon + 1);
      }
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        boolean allowed = Character.isLetterOrDigit(c) || "-_.~!$&'()*+,;=:[]<>\"%".indexOf(c) >= 0;
        if (!allowed) {
          return Optional.of("invalid character \"" + c + "\" in host name");
        }
      }
    }
    for (int i = 0; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') {
        return Optional.of("invalid port \":" + port + "\" after host");
      }
    }
    return escapeError(host);
  }

  private static Optional<String> escapeError(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '%') {
        if (!isHex(text, i + 1) || !isHex(text, i + 2)) {
          String bad = text.substring(i, Math.min(text.length(), i + 3));
          return Optional.of("invalid URL escape \"" + bad + "\"");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isHex(String text, int index) {
    return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
  }

  /** A parse outcome: the URL or the reason it is not one. */
  record Result(Optional<KubernetesUrl> url, String error) {
    static Result ok(KubernetesUrl url) {
      return new Result(Optional.of(url), "");
    }

    static Result error(String error) {
      return new Result(Optional.empty(), error);
    }
  }
}
