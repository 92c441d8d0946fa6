package dev.inboard.mesh.routing;

import com.google.re2j.Pattern;
import dev.inboard.mesh.config.HeaderMutation;
import java.util.List;

/**
 * Applies a route's header mutations as Envoy does: each mutation removes, then adds; an added header follows its
 * append action; an empty value is skipped unless {@code keep_empty_value}; a value holding Envoy's
 * {@code %VARIABLE%} formatters is skipped (the data plane does not evaluate access-log formatters, and sending the
 * literal text would be wrong). Adapters supply a {@link Target} over their own header type.
 */
public final class HeaderEditor {
  /** Request headers that only instruct the router; they are consumed, never sent upstream. */
  public static final List<String> ROUTER_ONLY = List.of("x-envoy-upstream-rq-timeout-ms",
      "x-envoy-upstream-rq-per-try-timeout-ms");

  private static final Pattern FORMATTER = Pattern.compile("%[A-Z][A-Z0-9_]*(\\([^)]*\\))?(:[0-9]+)?%");

  /** A header list being edited; names are lower-case. */
  public interface Target {
    boolean contains(String name);

    void removeAll(String name);

    void add(String name, String value);
  }

  private HeaderEditor() {}

  public static void apply(List<HeaderMutation> mutations, Target target) {
    for (HeaderMutation mutation : mutations) {
      for (String name : mutation.remove()) {
        target.removeAll(name);
      }
      for (HeaderMutation.HeaderValue h : mutation.add()) {
        if ((h.value().isEmpty() && !h.keepEmptyValue()) || FORMATTER.matcher(h.value()).find()) {
          continue;
        }
        boolean present = target.contains(h.key());
        switch (h.appendAction()) {
          case APPEND_IF_EXISTS_OR_ADD -> target.add(h.key(), h.value());
          case ADD_IF_ABSENT -> {
            if (!present) {
              target.add(h.key(), h.value());
            }
          }
          case OVERWRITE_IF_EXISTS_OR_ADD -> {
            target.removeAll(h.key());
            target.add(h.key(), h.value());
          }
          case OVERWRITE_IF_EXISTS -> {
            if (present) {
              target.removeAll(h.key());
              target.add(h.key(), h.value());
            }
          }
          default -> throw new IllegalStateException("unknown append action " + h.appendAction());
        }
      }
    }
  }

  /** Removes the headers addressed to the router itself. */
  public static void removeRouterHeaders(Target target) {
    ROUTER_ONLY.forEach(target::removeAll);
  }
}
