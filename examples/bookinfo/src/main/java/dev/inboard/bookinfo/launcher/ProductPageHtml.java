package dev.inboard.bookinfo.launcher;

/** What the launcher reads from productpage's HTML. */
final class ProductPageHtml {
  private ProductPageHtml() {}

  /** Whether the page shows the book's reviews (not the reviews error). */
  static boolean hasReviews(String html) {
    return html.contains("Reviewer1") && !html.contains("Sorry, product reviews are currently unavailable");
  }
}
