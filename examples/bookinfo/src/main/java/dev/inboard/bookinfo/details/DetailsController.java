package dev.inboard.bookinfo.details;

import jakarta.servlet.http.HttpServletRequest;
import java.math.BigInteger;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health} and {@code /details/<id>}: any method and any path under {@code /details}, the id being the
 * last path segment, which must be an integer.
 */
@RestController
class DetailsController {
  private static final String HEALTHY = "{\"status\":\"Details is healthy\"}";
  private static final String NOT_NUMERIC = "{\"error\":\"please provide numeric product id\"}";

  @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
  String health() {
    return HEALTHY;
  }

  @RequestMapping(path = {"/details", "/details/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> details(HttpServletRequest request) {
    String path = request.getRequestURI();
    String[] segments = path.split("/");
    String last = segments.length == 0 ? "" : segments[segments.length - 1];
    Optional<BigInteger> id = RubyInteger.parse(last);
    if (id.isEmpty()) {
      return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(NOT_NUMERIC);
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(book(id.get()));
  }

  /** The one book the details service knows, under whatever id was asked for. */
  static String book(BigInteger id) {
    return "{\"id\":" + id + ",\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\","
        + "\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\",\"ISBN-10\":\"1234567890\","
        + "\"ISBN-13\":\"123-1234567890\"}";
  }
}
