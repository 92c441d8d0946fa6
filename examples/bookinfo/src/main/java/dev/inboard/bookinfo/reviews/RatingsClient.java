package dev.inboard.bookinfo.reviews;

import java.util.Map;

/** How reviews asks ratings for a product's stars. */
interface RatingsClient {
  /**
   * The stars of {@code productId}, {@link Stars#UNAVAILABLE} when ratings answers anything but success or does not
   * answer in time; {@code headers} are the request headers to propagate.
   */
  Stars fetch(int productId, Map<String, String> headers);
}
