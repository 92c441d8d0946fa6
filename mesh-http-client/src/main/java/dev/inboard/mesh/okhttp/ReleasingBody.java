package dev.inboard.mesh.okhttp;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.jspecify.annotations.Nullable;

/**
 * A response body that gives back what the request holds (the cluster's request permit, the host's active request)
 * once, when the body is read to its end or closed: the stream's end, as Envoy counts it.
 */
final class ReleasingBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;
  /** What is left to run at the body's end; null once it ran. */
  private final AtomicReference<@Nullable Runnable> pending;

  private ReleasingBody(ResponseBody delegate, Runnable release) {
    this.delegate = delegate;
    this.pending = new AtomicReference<>(release);
    this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long read = super.read(sink, byteCount);
        if (read == -1) {
          release();
        }
        return read;
      }

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          release();
        }
      }
    });
  }

  /**
   * {@code response} whose body runs {@code release} at its end. A body that already releases something takes
   * {@code release} as well (run after what it held), and the same response is returned: no second wrapper.
   */
  static Response wrap(Response response, Runnable release) {
    if (response.body() instanceof ReleasingBody held) {
      held.alsoRelease(release);
      return response;
    }
    return response.newBuilder().body(new ReleasingBody(response.body(), release)).build();
  }

  private void alsoRelease(Runnable release) {
    while (true) {
      Runnable current = pending.get();
      if (current == null) {
        release.run(); // the body has already ended
        return;
      }
      Runnable both = () -> {
        try {
          current.run();
        } finally {
          release.run();
        }
      };
      if (pending.compareAndSet(current, both)) {
        return;
      }
    }
  }

  private void release() {
    Runnable release = pending.getAndSet(null);
    if (release != null) {
      release.run();
    }
  }

  @Override
  public @Nullable MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }
}
