package dev.inboard.bookinfo.reviews;

import java.util.OptionalInt;

/** The reviews answer, written character for character as the original service builds it. */
final class ReviewsJson {
  static final String REVIEW1 = "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!";
  static final String REVIEW2 = "Absolutely fun and entertaining. The play lacks thematic depth when compared to "
      + "other plays by Shakespeare.";

  private ReviewsJson() {}

  /** The answer for {@code productId}; ratings are shown only when {@code settings} enable them. */
  static String write(String productId, ReviewsSettings settings, Stars stars) {
    StringBuilder out = new StringBuilder("{");
    out.append("\"id\": \"").append(productId).append("\",");
    out.append("\"podname\": \"").append(settings.podName()).append("\",");
    out.append("\"clustername\": \"").append(settings.clusterName()).append("\",");
    out.append("\"reviews\": [");
    review(out, "Reviewer1", REVIEW1, settings, stars.reviewer1());
    out.append(",");
    review(out, "Reviewer2", REVIEW2, settings, stars.reviewer2());
    out.append("]");
    return out.append("}").toString();
  }

  private static void review(StringBuilder out, String reviewer, String text, ReviewsSettings settings,
      OptionalInt stars) {
    out.append("{");
    out.append("  \"reviewer\": \"").append(reviewer).append("\",");
    out.append("  \"text\": \"").append(text).append("\"");
    if (settings.ratingsEnabled()) {
      if (stars.isPresent()) {
        out.append(", \"rating\": {\"stars\": ").append(stars.getAsInt()).append(", \"color\": \"")
            .append(settings.starColor()).append("\"}");
      } else {
        out.append(", \"rating\": {\"error\": \"Ratings service is currently unavailable\"}");
      }
    }
    out.append("}");
  }
}
