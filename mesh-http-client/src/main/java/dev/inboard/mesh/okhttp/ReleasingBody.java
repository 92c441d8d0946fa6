package dev.inboard.mesh.okhttp;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
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

  private ReleasingBody(ResponseBody delegate, Runnable release) {
    this.delegate = delegate;
    AtomicBoolean done = new AtomicBoolean();
    Runnable once = () -> {
      if (done.compareAndSet(false, true)) {
        release.run();
      }
    };
    this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long read = super.read(sink, byteCount);
        if (read == -1) {
          once.run();
        }
        return read;
      }

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          once.run();
        }
      }
    });
  }

  /** {@code response} whose body runs {@code release} at its end. */
  static Response wrap(Response response, Runnable release) {
    return response.newBuilder().body(new ReleasingBody(response.body(), release)).build();
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
