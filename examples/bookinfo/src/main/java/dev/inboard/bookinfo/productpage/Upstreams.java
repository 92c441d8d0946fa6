package dev.inboard.bookinfo.productpage;

import dev.inboard.mesh.okhttp.MeshException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
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
    // Deliberately tried twice without a pause, as the original does (Istio's fault-injection task relies on it).
    Attempt attempt = call("reviews", productId, headers);
    if (!attempt.ok()) {
      attempt = call("reviews", productId, headers);
    }
    return finish("reviews", attempt, REVIEWS_ERROR);
  }

  UpstreamResult ratings(String productId, Map<String, String> headers) {
    return finish("ratings", call("ratings", productId, headers), RATINGS_ERROR);
  }

  /** One call's outcome: the status and, for a 200, the body. */
  private record Attempt(int status, @Nullable String body) {
    boolean ok() {
      return status == 200 && body != null;
    }
  }

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
    UpstreamResult result = parse(service, attempt)
        .orElseGet(() -> new UpstreamResult(attempt.status() == 200 ? 500 : attempt.status(),
            JSON.createObjectNode().put("error", error)));
    counter.count(service, result.status());
    return result;
  }

  /** A 200 with a JSON body; anything else (a 200 that is not JSON too) is a failure. */
  private static Optional<UpstreamResult> parse(String service, Attempt attempt) {
    String body = attempt.body();
    if (!attempt.ok() || body == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new UpstreamResult(200, JSON.readTree(body)));
    } catch (JacksonException e) {
      log.info("{} answered 200 with a body that is not JSON: {}", service, e.getOriginalMessage());
      return Optional.empty();
    }
  }
}
