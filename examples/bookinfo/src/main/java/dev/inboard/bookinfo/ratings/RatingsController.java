package dev.inboard.bookinfo.ratings;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /health}, {@code GET /ratings/<id>} and {@code POST /ratings/<id>}; the id is the text after the last
 * slash of the request target, read as JavaScript's parseInt reads it.
 */
@RestController
class RatingsController {
  private static final String HEALTHY = "{\"status\":\"Ratings is healthy\"}";
  private static final String NOT_NUMERIC = "{\"error\":\"please provide numeric product ID\"}";
  private static final String NOT_JSON = "{\"error\":\"please provide valid ratings JSON\"}";
  private static final String NOT_HEALTHY = "{\"status\":\"Ratings is not healthy\"}";
  private static final String UNAVAILABLE = "{\"error\":\"Service unavailable\"}";

  private final RatingsStore store;
  private final RatingsVariant variant;

  RatingsController(RatingsStore store, RatingsVariant variant) {
    this.store = store;
    this.variant = variant;
  }

  @GetMapping(path = "/health")
  ResponseEntity<String> health() {
    return variant.healthy() ? json(200, HEALTHY) : json(500, NOT_HEALTHY);
  }

  @GetMapping(path = "/ratings/**")
  ResponseEntity<String> get(HttpServletRequest request) throws InterruptedException {
    OptionalLong id = productId(request);
    if (id.isEmpty()) {
      return json(400, NOT_NUMERIC);
    }
    switch (variant.nextRequest()) {
      case UNAVAILABLE -> {
        return json(503, UNAVAILABLE);
      }
      case DELAY_THEN_ANSWER -> Thread.sleep(RatingsVariant.DELAY.toMillis());
      case ANSWER -> { }
    }
    return json(200, RatingsStore.text(store.get(id.getAsLong())));
  }

  @PostMapping(path = "/ratings/**")
  ResponseEntity<String> post(HttpServletRequest request) throws IOException {
    OptionalLong id = productId(request);
    if (id.isEmpty()) {
      return json(400, NOT_NUMERIC);
    }
    // The raw body whatever its content type (a form-encoded POST must not be read as form parameters).
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode ratings;
    try {
      ratings = RatingsStore.parse(body);
    } catch (JacksonException e) {
      return json(400, NOT_JSON);
    }
    if (ratings.isMissingNode()) {
      return json(400, NOT_JSON);
    }
    return json(200, RatingsStore.text(store.put(id.getAsLong(), ratings)));
  }

  private static OptionalLong productId(HttpServletRequest request) {
    String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    return JsParseInt.parse(target.substring(target.lastIndexOf('/') + 1));
  }

  private static ResponseEntity<String> json(int status, String body) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
