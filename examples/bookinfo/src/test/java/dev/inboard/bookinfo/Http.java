package dev.inboard.bookinfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain HTTP client for the tests (no mesh, no redirects followed). */
public final class Http {
  private static final OkHttpClient CLIENT = new OkHttpClient.Builder().followRedirects(false).build();

  /** A response, read whole. */
  public record Answer(int status, String contentType, String body, okhttp3.Headers headers) {}

  private Http() {}

  public static Answer get(String url) {
    return get(url, Map.of());
  }

  public static Answer get(String url, Map<String, String> headers) {
    Request.Builder b = new Request.Builder().url(url);
    headers.forEach(b::header);
    return send(b.build());
  }

  public static Answer post(String url, String contentType, String body, Map<String, String> headers) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get(contentType)));
    headers.forEach(b::header);
    return send(b.build());
  }

  private static Answer send(Request request) {
    try (Response r = CLIENT.newCall(request).execute()) {
      return new Answer(r.code(), r.header("content-type", ""), r.body().string(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.url() + " failed", e);
    }
  }
}
