package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.config.HeaderMutation;
import java.util.List;
import okhttp3.Headers;

/** Applies a route's header mutations, in order, each removing then adding, to an OkHttp header list. */
final class HeaderEdits {
  private HeaderEdits() {}

  static Headers apply(Headers headers, List<HeaderMutation> mutations) {
    if (mutations.isEmpty()) {
      return headers;
    }
    Headers.Builder b = headers.newBuilder();
    for (HeaderMutation m : mutations) {
      for (String name : m.remove()) {
        b.removeAll(name);
      }
      for (HeaderMutation.HeaderValue v : m.add()) {
        if (v.value().isEmpty() && !v.keepEmptyValue()) {
          continue;
        }
        boolean present = b.get(v.key()) != null;
        switch (v.appendAction()) {
          case APPEND_IF_EXISTS_OR_ADD -> b.addUnsafeNonAscii(v.key(), v.value());
          case ADD_IF_ABSENT -> {
            if (!present) {
              b.addUnsafeNonAscii(v.key(), v.value());
            }
          }
          case OVERWRITE_IF_EXISTS_OR_ADD -> b.removeAll(v.key()).addUnsafeNonAscii(v.key(), v.value());
          case OVERWRITE_IF_EXISTS -> {
            if (present) {
              b.removeAll(v.key()).addUnsafeNonAscii(v.key(), v.value());
            }
          }
          default -> throw new IllegalStateException("unknown append action " + v.appendAction());
        }
      }
    }
    return b.build();
  }
}
