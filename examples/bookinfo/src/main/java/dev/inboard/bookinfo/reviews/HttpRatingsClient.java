package dev.inboard.bookinfo.reviews;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET http://ratings:9080/ratings/<id>} through the mesh, within the version's timeout. */
final class HttpRatingsClient implements RatingsClient {
  static final String RATINGS = "http://ratings:9080/ratings/";
  private static final Logger log = LoggerFactory.getLogger(HttpRatingsClient.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final OkHttpClient client;

  HttpRatingsClient(OkHttpClient client) {
    this.client = client;
  }

  @Override
  public Stars fetch(int productId, Map<String, String> headers) {
    Request.Builder request = new Request.Builder().url(RATINGS + productId).header("accept", "application/json");
    headers.forEach(request::header);
    try (Response response = client.newCall(request.build()).execute()) {
      ResponseBody body = response.body();
      if (response.code() != 200) {
        log.info("ratings answered {} for product {}", response.code(), productId);
        return Stars.UNAVAILABLE;
      }
      return parse(body.string());
    } catch (IOException | JacksonException e) {
      log.info("ratings unavailable for product {}: {}", productId, e.toString());
      return Stars.UNAVAILABLE;
    }
  }

  static Stars parse(String json) {
    JsonNode ratings = JSON.readTree(json).path("ratings");
    Map<String, Integer> stars = new LinkedHashMap<>();
    for (String reviewer : new String[] {"Reviewer1", "Reviewer2"}) {
      JsonNode value = ratings.path(reviewer);
      if (value.isIntegralNumber() && value.canConvertToInt()) {
        stars.put(reviewer, value.intValue());
      }
    }
    return Stars.of(stars);
  }
}
