package dev.inboard.mesh.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Headers to add and remove at one level of the route table ({@code request_headers_to_add} /
 * {@code request_headers_to_remove}, or the response pair). Names are lower case. Values may hold Envoy's
 * {@code %VAR%} format specifiers, kept verbatim.
 */
public record HeaderMutation(List<HeaderValue> add, List<String> remove) {
  public static final HeaderMutation NONE = new HeaderMutation(List.of(), List.of());

  public HeaderMutation {
    add = List.copyOf(add);
    remove = remove.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
  }

  public boolean isEmpty() {
    return add.isEmpty() && remove.isEmpty();
  }

  /** One header to add, and what to do when the header is already there. */
  public record HeaderValue(String key, String value, AppendAction appendAction, boolean keepEmptyValue) {
    public HeaderValue {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(appendAction, "appendAction");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("header key must not be empty");
      }
      key = key.toLowerCase(Locale.ROOT);
    }
  }

  /** Envoy's {@code HeaderValueOption.HeaderAppendAction}. */
  public enum AppendAction {
    /** Add another value (the default). */
    APPEND_IF_EXISTS_OR_ADD,
    /** Add only when the header is absent. */
    ADD_IF_ABSENT,
    /** Replace existing values, or add. */
    OVERWRITE_IF_EXISTS_OR_ADD,
    /** Replace existing values; do nothing when absent. */
    OVERWRITE_IF_EXISTS
  }
}
