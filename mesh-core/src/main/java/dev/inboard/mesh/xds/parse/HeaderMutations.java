package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.HeaderMutation;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code *_headers_to_add} / {@code *_headers_to_remove} pairs to {@link HeaderMutation}. */
final class HeaderMutations {
  private static final int MAX_ADDED = 1000;

  private HeaderMutations() {}

  static HeaderMutation request(List<HeaderValueOption> add, List<String> remove) throws XdsValidationException {
    return of("request_headers_to_add", add, "request_headers_to_remove", remove);
  }

  static HeaderMutation response(List<HeaderValueOption> add, List<String> remove) throws XdsValidationException {
    return of("response_headers_to_add", add, "response_headers_to_remove", remove);
  }

  private static HeaderMutation of(String addField, List<HeaderValueOption> add, String removeField,
      List<String> remove) throws XdsValidationException {
    if (add.isEmpty() && remove.isEmpty()) {
      return HeaderMutation.NONE;
    }
    Validation.check(add.size() <= MAX_ADDED, addField, "at most " + MAX_ADDED + " headers, was " + add.size());
    List<HeaderMutation.HeaderValue> values = new ArrayList<>(add.size());
    for (int i = 0; i < add.size(); i++) {
      HeaderValueOption option = add.get(i);
      values.add(Validation.at(Validation.indexed(addField, i), () -> headerValue(option)));
    }
    for (int i = 0; i < remove.size(); i++) {
      String name = remove.get(i);
      String path = Validation.indexed(removeField, i);
      Validation.check(!name.isEmpty(), path, "must not be empty");
      Validation.check(modifiable(name), path, "pseudo-headers and host may not be removed, was '" + name + "'");
    }
    return new HeaderMutation(values, remove);
  }

  @SuppressWarnings("deprecation") // 'append' is the legacy spelling of append_action
  private static HeaderMutation.HeaderValue headerValue(HeaderValueOption option) throws XdsValidationException {
    Validation.check(option.hasHeader(), "header", "must be set");
    String key = option.getHeader().getKey();
    Validation.check(!key.isEmpty(), "header.key", "must not be empty");
    Validation.check(modifiable(key), "header.key", "pseudo-headers and host may not be modified, was '" + key + "'");
    Validation.check(option.getHeader().getValue().isEmpty() || option.getHeader().getRawValue().isEmpty(),
        "header", "only one of value and raw_value may be set");
    String value = option.getHeader().getRawValue().isEmpty()
        ? option.getHeader().getValue()
        : option.getHeader().getRawValue().toString(StandardCharsets.UTF_8);
    HeaderMutation.AppendAction action;
    if (option.hasAppend()) {
      Validation.check(option.getAppendActionValue() == 0, "append",
          "only one of append and append_action may be set");
      action = option.getAppend().getValue()
          ? HeaderMutation.AppendAction.APPEND_IF_EXISTS_OR_ADD
          : HeaderMutation.AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    } else {
      action = switch (option.getAppendAction()) {
        case APPEND_IF_EXISTS_OR_ADD -> HeaderMutation.AppendAction.APPEND_IF_EXISTS_OR_ADD;
        case ADD_IF_ABSENT -> HeaderMutation.AppendAction.ADD_IF_ABSENT;
        case OVERWRITE_IF_EXISTS_OR_ADD -> HeaderMutation.AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
        case OVERWRITE_IF_EXISTS -> HeaderMutation.AppendAction.OVERWRITE_IF_EXISTS;
        case UNRECOGNIZED -> throw new XdsValidationException("append_action",
            "unknown value " + option.getAppendActionValue());
      };
    }
    return new HeaderMutation.HeaderValue(key, value, action, option.getKeepEmptyValue());
  }

  /** Envoy refuses to add, overwrite or remove pseudo-headers and {@code host}. */
  private static boolean modifiable(String name) {
    return !name.startsWith(":") && !name.equalsIgnoreCase("host");
  }
}
