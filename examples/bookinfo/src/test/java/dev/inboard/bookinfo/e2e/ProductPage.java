package dev.inboard.bookinfo.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reader of productpage sees: whether the reviews are there, the colour of their stars, and the error texts
 * Bookinfo shows instead of reviews or ratings.
 *
 * @param status the HTTP status
 * @param html the page
 * @param elapsed how long productpage took to answer
 */
record ProductPage(int status, String html, Duration elapsed) {
  static final String REVIEWS_UNAVAILABLE = "Sorry, product reviews are currently unavailable for this book.";
  static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";
  /** The row of stars under a review: {@code <div class="flex gap-x-1 text-red-500">} and five star icons. */
  private static final Pattern STAR_ROW = Pattern.compile("<div class=\"flex gap-x-1 text-(\\w+)-500\">");
  private static final Pattern SERVED_BY = Pattern.compile("Reviews served by:\\s*([\\w.-]+)");

  /** Both reviews are shown (not the reviews error). */
  boolean hasReviews() {
    return html.contains("Reviewer1") && html.contains("Reviewer2") && !reviewsUnavailable();
  }

  boolean reviewsUnavailable() {
    return html.contains(REVIEWS_UNAVAILABLE);
  }

  boolean ratingsUnavailable() {
    return html.contains(RATINGS_UNAVAILABLE);
  }

  /** The colours of the stars on the page: empty for reviews v1, [black] for v2, [red] for v3. */
  List<String> starColors() {
    List<String> colors = new ArrayList<>();
    Matcher m = STAR_ROW.matcher(html);
    while (m.find()) {
      String color = m.group(1);
      if (!colors.contains(color)) {
        colors.add(color);
      }
    }
    return colors;
  }

  /** Which reviews version rendered the page: v1 (reviews, no stars), v2 (black), v3 (red), or "error". */
  String reviewsVersion() {
    if (!hasReviews()) {
      return "error";
    }
    List<String> colors = starColors();
    if (colors.equals(List.of("black"))) {
      return "v2";
    }
    if (colors.equals(List.of("red"))) {
      return "v3";
    }
    return colors.isEmpty() && !ratingsUnavailable() ? "v1" : "unclear " + colors;
  }

  /** The pod that served the reviews ({@code reviews-v3-local}), or empty without reviews. */
  String reviewsPod() {
    Matcher m = SERVED_BY.matcher(html);
    return m.find() ? m.group(1) : "";
  }

  @Override
  public String toString() {
    return "productpage HTTP " + status + " in " + elapsed.toMillis() + " ms, reviews " + reviewsVersion()
        + (reviewsPod().isEmpty() ? "" : " from " + reviewsPod())
        + (reviewsUnavailable() ? ", reviews unavailable" : "") + (ratingsUnavailable() ? ", ratings unavailable" : "");
  }
}
