package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.routing.HeaderEditor;
import dev.inboard.mesh.config.HeaderMutation;
import java.util.List;
import okhttp3.Headers;

/** The route's header mutations on an OkHttp header list, through the mesh's {@link HeaderEditor}. */
final class HeaderEdits {
  private HeaderEdits() {}

  static Headers apply(Headers headers, List<HeaderMutation> mutations) {
    if (mutations.isEmpty()) {
      return headers;
    }
    Headers.Builder b = headers.newBuilder();
    HeaderEditor.apply(mutations, target(b));
    return b.build();
  }

  /** {@code headers} without those addressed to the router itself; the same instance when it has none. */
  static Headers withoutRouterHeaders(Headers headers) {
    boolean any = false;
    for (String name : HeaderEditor.ROUTER_ONLY) {
      any |= headers.get(name) != null;
    }
    if (!any) {
      return headers;
    }
    Headers.Builder b = headers.newBuilder();
    HeaderEditor.removeRouterHeaders(target(b));
    return b.build();
  }

  /** The builder as the mesh's header editor sees it. */
  static HeaderEditor.Target target(Headers.Builder b) {
    return new HeaderEditor.Target() {
      @Override
      public boolean contains(String name) {
        return b.get(name) != null;
      }

      @Override
      public void removeAll(String name) {
        b.removeAll(name);
      }

      @Override
      public void add(String name, String value) {
        b.addUnsafeNonAscii(name, value);
      }
    };
  }
}
