package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a route's {@code hash_policy}: what request property feeds the hash of a ring-hash or Maglev load
 * balancer. Policies are evaluated in order; a {@code terminal} policy that produced a hash stops the evaluation.
 */
public sealed interface HashPolicy {

  boolean terminal();

  /** Hash a request header's value, optionally rewritten first. The name is lower case. */
  record Header(String headerName, Optional<RegexRewrite> regexRewrite, boolean terminal) implements HashPolicy {
    public Header {
      Objects.requireNonNull(headerName, "headerName");
      Objects.requireNonNull(regexRewrite, "regexRewrite");
      headerName = headerName.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Hash a cookie's value. With a {@code ttl} the cookie is generated when absent (zero: a session cookie).
   */
  record Cookie(String name, Optional<Duration> ttl, Optional<String> path, boolean terminal) implements HashPolicy {
    public Cookie {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(path, "path");
    }
  }

  /** Hash the downstream connection's source IP (when {@code sourceIp}). */
  record ConnectionProperties(boolean sourceIp, boolean terminal) implements HashPolicy {}

  /** Hash a URL query parameter's first value. */
  record QueryParameter(String name, boolean terminal) implements HashPolicy {
    public QueryParameter {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Hash a hashable object stored in the request's filter state. */
  record FilterState(String key, boolean terminal) implements HashPolicy {
    public FilterState {
      Objects.requireNonNull(key, "key");
    }
  }
}
