package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.routing.Headers;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link Headers} read straight from OkHttp's header list (names compare case-insensitively, nothing is copied). */
final class OkHttpHeaders implements Headers {
  private final okhttp3.Headers headers;

  OkHttpHeaders(okhttp3.Headers headers) {
    this.headers = headers;
  }

  @Override
  public @Nullable String first(String lowerName) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (headers.name(i).equalsIgnoreCase(lowerName)) {
        return headers.value(i);
      }
    }
    return null;
  }

  @Override
  public List<String> all(String lowerName) {
    List<String> values = null;
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (headers.name(i).equalsIgnoreCase(lowerName)) {
        if (values == null) {
          values = new ArrayList<>(2);
        }
        values.add(headers.value(i));
      }
    }
    return values == null ? List.of() : values;
  }
}
