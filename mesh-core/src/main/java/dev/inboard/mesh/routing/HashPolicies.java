package dev.inboard.mesh.routing;

import dev.inboard.mesh.lb.XxHash64;
import com.google.re2j.Pattern;
import dev.inboard.mesh.config.HashPolicy;
import dev.inboard.mesh.routing.RouteDecision.GeneratedCookie;
import dev.inboard.mesh.routing.RouteDecision.RequestHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A route's hash policies evaluated as Envoy does: each policy that yields a value contributes its XXH64 hash,
 * combined as {@code rotl(hash, 1) ^ next}; a terminal policy that leaves a hash stops the evaluation. A header's
 * values (each rewritten first when the policy says so) are sorted and hashed in sequence, each seeding the next.
 * A cookie policy with a TTL generates the cookie when the request has none: its value is the hex XXH64 of the
 * source address, and the response must set it. Filter-state policies yield nothing here.
 */
final class HashPolicies {
  private final HashPolicy[] policies;
  private final @Nullable Pattern[] rewrites;
  private final String[] substitutions;

  HashPolicies(List<HashPolicy> policies) {
    this.policies = policies.toArray(HashPolicy[]::new);
    this.rewrites = new Pattern[this.policies.length];
    this.substitutions = new String[this.policies.length];
    for (int i = 0; i < this.policies.length; i++) {
      substitutions[i] = "";
      if (this.policies[i] instanceof HashPolicy.Header header && header.regexRewrite().isPresent()) {
        rewrites[i] = Pattern.compile(header.regexRewrite().get().regex());
        substitutions[i] = RegexSubstitution.toRe2j(header.regexRewrite().get().substitution());
      }
    }
  }

  boolean isEmpty() {
    return policies.length == 0;
  }

  Optional<RequestHash> evaluate(RequestInfo request) {
    boolean hashed = false;
    long hash = 0;
    GeneratedCookie cookie = null;
    for (int i = 0; i < policies.length; i++) {
      HashPolicy policy = policies[i];
      Long value = null;
      if (policy instanceof HashPolicy.Header header) {
        value = headerHash(request.headers().all(header.headerName()), rewrites[i], substitutions[i]);
      } else if (policy instanceof HashPolicy.Cookie c) {
        String existing = cookieValue(request.headers(), c.name());
        if (existing != null) {
          value = XxHash64.hash(existing, 0);
        } else if (c.ttl().isPresent()) {
          String address = request.sourceIp() == null ? "" : request.sourceIp() + ":" + request.sourcePort();
          String generated = String.format("%016x", XxHash64.hash(address, 0));
          cookie = new GeneratedCookie(c.name(), generated, c.ttl().get(), c.path());
          value = XxHash64.hash(generated, 0);
        }
      } else if (policy instanceof HashPolicy.ConnectionProperties props) {
        if (props.sourceIp() && request.sourceIp() != null) {
          value = XxHash64.hash(request.sourceIp(), 0);
        }
      } else if (policy instanceof HashPolicy.QueryParameter query) {
        String param = QueryStrings.firstValue(request.path(), query.name(), false);
        if (param != null) {
          value = XxHash64.hash(param, 0);
        }
      }
      if (value != null) {
        hash = hashed ? Long.rotateLeft(hash, 1) ^ value : value;
        hashed = true;
      }
      if (policy.terminal() && hashed) {
        break;
      }
    }
    return hashed ? Optional.of(new RequestHash(hash, Optional.ofNullable(cookie))) : Optional.empty();
  }

  private static @Nullable Long headerHash(List<String> values, @Nullable Pattern rewrite, String substitution) {
    if (values.isEmpty()) {
      return null;
    }
    List<String> rewritten = new ArrayList<>(values.size());
    for (String value : values) {
      rewritten.add(rewrite == null ? value : rewrite.matcher(value).replaceAll(substitution));
    }
    if (rewritten.size() > 1) {
      Collections.sort(rewritten);
    }
    long hash = 0;
    for (String value : rewritten) {
      hash = XxHash64.hash(value, hash);
    }
    return hash;
  }

  /** The value of the first cookie with this name across the {@code cookie} headers, quotes removed. */
  static @Nullable String cookieValue(Headers headers, String name) {
    for (String header : headers.all("cookie")) {
      for (String part : header.split(";")) {
        String pair = part.strip();
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          String value = pair.substring(eq + 1);
          if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
          }
          return value;
        }
      }
    }
    return null;
  }
}
