package dev.inboard.bookinfo.productpage;

/** The one product productpage sells. */
final class Products {
  static final String TITLE = "The Comedy of Errors";
  static final String DESCRIPTION_HTML = "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">Wikipedia "
      + "Summary</a>: The Comedy of Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and "
      + "one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken "
      + "identity, in addition to puns and word play.";

  private Products() {}

  /** {@code GET /api/v1/products}, as json.dumps writes the list. */
  static String json() {
    StringBuilder out = new StringBuilder("[{\"id\": 0, \"title\": ");
    dev.inboard.bookinfo.common.PythonJson.string(TITLE, out);
    out.append(", \"descriptionHtml\": ");
    dev.inboard.bookinfo.common.PythonJson.string(DESCRIPTION_HTML, out);
    return out.append("}]").toString();
  }
}
