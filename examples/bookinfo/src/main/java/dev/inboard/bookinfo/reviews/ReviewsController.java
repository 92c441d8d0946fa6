package dev.inboard.bookinfo.reviews;

import dev.inboard.bookinfo.common.HeaderPropagation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health} and {@code GET /reviews/<productId>}; the product id is an int path parameter, so anything
 * else is not found (404), as JAX-RS answers a path parameter it cannot convert.
 */
@RestController
class ReviewsController {
  private static final String HEALTHY = "{\"status\": \"Reviews is healthy\"}";

  private final ReviewsSettings settings;
  private final RatingsClient ratings;

  ReviewsController(ReviewsSettings settings, RatingsClient ratings) {
    this.settings = settings;
    this.ratings = ratings;
  }

  @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
  String health() {
    return HEALTHY;
  }

  @GetMapping(path = "/reviews/{productId}")
  ResponseEntity<String> reviews(@PathVariable("productId") String productId, HttpServletRequest request) {
    int id;
    try {
      id = Integer.parseInt(productId);
    } catch (NumberFormatException e) {
      return ResponseEntity.notFound().build();
    }
    Stars stars = settings.ratingsEnabled()
        ? ratings.fetch(id, HeaderPropagation.copy(request, HeaderPropagation.SERVICE_HEADERS))
        : Stars.UNAVAILABLE;
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
        .body(ReviewsJson.write(Integer.toString(id), settings, stars));
  }
}
