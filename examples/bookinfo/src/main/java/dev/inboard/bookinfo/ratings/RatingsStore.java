package dev.inboard.bookinfo.ratings;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ratings by product, in memory: every product has Reviewer1 5 stars and Reviewer2 4 until ratings are posted
 * for it; posted ratings replace them for as long as the service runs.
 */
@Component
public class RatingsStore {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<Long, JsonNode> posted = new ConcurrentHashMap<>();

  /** The ratings document of {@code productId}: {@code {"id":<id>,"ratings":{...}}}. */
  public ObjectNode get(long productId) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("id", productId);
    JsonNode ratings = posted.get(productId);
    if (ratings == null) {
      doc.putObject("ratings").put("Reviewer1", 5).put("Reviewer2", 4);
    } else {
      doc.set("ratings", ratings);
    }
    return doc;
  }

  /** Stores {@code ratings} (any JSON value, as posted) for {@code productId} and returns the new document. */
  public ObjectNode put(long productId, JsonNode ratings) {
    posted.put(productId, ratings.deepCopy());
    return get(productId);
  }

  /** JSON text as JavaScript's JSON.stringify writes it (no white space). */
  static String text(JsonNode node) {
    return JSON.writeValueAsString(node);
  }

  /** {@code body} parsed; a missing node when empty. @throws tools.jackson.core.JacksonException when not JSON */
  static JsonNode parse(String body) {
    return JSON.readTree(body);
  }
}
