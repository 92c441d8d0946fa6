package dev.inboard.bookinfo.productpage;

import dev.inboard.mesh.okhttp.MeshException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * productpage's calls to details, reviews and ratings, addressed by their Istio names on port 9080: each call may
 * take 3 s; reviews is tried twice (so a slow reviews costs up to 6 s, as the fault-injection task expects). A call
 * that does not get a 200 gives the upstream's status, the status the mesh answered for it (e.g. 503 when no
 * upstream is healthy) or 500 when nothing answered in time, and the service's error message.
 */
final class Upstreams {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final String DETAILS_ERROR = "Sorry, product details are currently unavailable for this book.";
  static final String REVIEWS_ERROR = "Sorry, product reviews are currently unavailable for this book.";
  static final String RATINGS_ERROR = "Sorry, product ratings are currently unavailable for this book.";

  private static final Logger log = LoggerFactory.getLogger(Upstreams.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final OkHttpClient client;
  private final RequestCounter counter;

  Upstreams(OkHttpClient client, RequestCounter counter) {
    this.client = client.newBuilder().callTimeout(TIMEOUT).build();
    this.counter = counter;
  }

  UpstreamResult details(String productId, Map<String, String> headers) {
    return finish("details", call("details", productId, headers), DETAILS_ERROR);
  }

  UpstreamResult reviews(String productId, Map<String, String> headers) {
    Attempt last = null;
    for (int i = 0; i < 2; i++) {
      last = call("reviews", productId, headers);
      if (last.status == 200 && last.body != null) {
        break;
      }
    }
    return finish("reviews", last, REVIEWS_ERROR);
  }

  UpstreamResult ratings(String productId, Map<String, String> headers) {
    return finish("ratings", call("ratings", productId, headers), RATINGS_ERROR);
  }

  private record Attempt(int status, String body) {}

  private Attempt call(String service, String productId, Map<String, String> headers) {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host(service).port(9080).addPathSegment(service)
        .addPathSegment(productId).build();
    Request.Builder request = new Request.Builder().url(url);
    headers.forEach(request::header);
    try (Response response = client.newCall(request.build()).execute()) {
      return new Attempt(response.code(), response.code() == 200 ? response.body().string() : null);
    } catch (MeshException e) {
      log.info("{} {} not delivered by the mesh: {}", service, url, e.getMessage());
      return new Attempt(e.failure().httpStatus(), null);
    } catch (IOException e) {
      log.info("{} {} failed: {}", service, url, e.toString());
      return new Attempt(500, null);
    }
  }

  private UpstreamResult finish(String service, Attempt attempt, String error) {
    UpstreamResult result = null;
    if (attempt.status == 200 && attempt.body != null) {
      try {
        result = new UpstreamResult(200, JSON.readTree(attempt.body));
      } catch (JacksonException e) {
        log.info("{} answered 200 with a body that is not JSON: {}", service, e.getOriginalMessage());
      }
    }
    if (result == null) {
      int status = attempt.status == 200 ? 500 : attempt.status;
      result = new UpstreamResult(status, JSON.createObjectNode().put("error", error));
    }
    counter.count(service, result.status());
    return result;
  }
}
