package dev.inboard.mesh.spring;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A {@link ClientHttpConnector} (what {@code WebClient} sends through) over an {@link OkHttpClient}: each exchange is
 * one asynchronous OkHttp call ({@code enqueue}), so whatever the client does (the mesh's interceptor included)
 * applies. It adds no behaviour of its own.
 *
 * <ul>
 *   <li>The request body, written as a {@code DataBuffer} publisher, is collected before the call starts: OkHttp
 *       (and the mesh, for retries and mirrors) may send it more than once.</li>
 *   <li>The response body is streamed as {@code DataBuffer}s read from OkHttp's body on a
 *       {@link reactor.core.scheduler.Schedulers#boundedElastic() bounded elastic} thread; canceling it or reading it
 *       to the end closes the OkHttp response.</li>
 *   <li>Canceling the exchange's {@code Mono} before the response arrives cancels the OkHttp call (the mesh then ends
 *       its fault delay, back-off or attempt in flight).</li>
 *   <li>A call that fails ({@code IOException}, the mesh's {@code MeshException} included) fails the {@code Mono};
 *       {@code WebClient} reports it as a {@code WebClientRequestException}.</li>
 * </ul>
 */
public final class OkHttpClientHttpConnector implements ClientHttpConnector {
  private final OkHttpClient client;
  private final DataBufferFactory bufferFactory;

  public OkHttpClientHttpConnector(OkHttpClient client) {
    this(client, DefaultDataBufferFactory.sharedInstance);
  }

  public OkHttpClientHttpConnector(OkHttpClient client, DataBufferFactory bufferFactory) {
    this.client = Objects.requireNonNull(client, "client");
    this.bufferFactory = Objects.requireNonNull(bufferFactory, "bufferFactory");
  }

  /** The client exchanges go through. */
  public OkHttpClient client() {
    return client;
  }

  @Override
  public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
      Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
    return Mono.defer(() -> {
      OkHttpReactiveRequest request = new OkHttpReactiveRequest(method, uri, bufferFactory);
      return requestCallback.apply(request).then(Mono.defer(() -> execute(request.toOkHttp())));
    });
  }

  private Mono<ClientHttpResponse> execute(okhttp3.Request request) {
    return Mono.create(sink -> {
      Call call = client.newCall(request);
      AtomicBoolean canceled = new AtomicBoolean();
      sink.onCancel(() -> {
        canceled.set(true);
        call.cancel();
      });
      call.enqueue(new Answer(sink, canceled));
    });
  }

  private final class Answer implements Callback {
    private final MonoSink<ClientHttpResponse> sink;
    private final AtomicBoolean canceled;

    Answer(MonoSink<ClientHttpResponse> sink, AtomicBoolean canceled) {
      this.sink = sink;
      this.canceled = canceled;
    }

    @Override
    public void onFailure(Call call, IOException e) {
      sink.error(e);
    }

    @Override
    public void onResponse(Call call, Response response) {
      sink.success(new OkHttpReactiveResponse(response, call.request().url(), bufferFactory));
      if (canceled.get()) {
        // The exchange was canceled while the answer arrived: nobody will read (and close) it.
        response.close();
      }
    }
  }
}
