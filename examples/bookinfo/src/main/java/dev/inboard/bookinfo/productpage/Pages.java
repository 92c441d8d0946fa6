package dev.inboard.bookinfo.productpage;

import static dev.inboard.bookinfo.productpage.Html.escape;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * productpage's HTML: the index and the product page, with the markup, texts and classes of the original
 * templates. The original's remote assets (Tailwind) are replaced by a small local stylesheet,
 * {@code static/bookinfo.css}, and its avatar image by {@code static/img/izzy.svg}.
 */
final class Pages {
  /** A filled star, drawn {@code stars} times. */
  static final String FULL_STAR = """
                    <svg id="glyphicon glyphicon-star" class="h-5 w-5 flex-none" viewBox="0 0 20 20" \
      fill="currentColor" aria-hidden="true">
                      <path fill-rule="evenodd" d="M10.868 2.884c-.321-.772-1.415-.772-1.736 0l-1.83 4.401-4.753.381c\
      -.833.067-1.171 1.107-.536 1.651l3.62 3.102-1.106 4.637c-.194.813.691 1.456 1.405 1.02L10 15.591l4.069 2.485c.713\
      .436 1.598-.207 1.404-1.02l-1.106-4.637 3.62-3.102c.635-.544.297-1.584-.536-1.65l-4.752-.382-1.831-4.401z" \
      clip-rule="evenodd" />
                    </svg>
      """;
  /** An empty (outlined) star, drawn {@code 5 - stars} times. */
  static final String EMPTY_STAR = """
                    <svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 24" stroke-width="1.5" \
      stroke="currentColor" class="h-5 w-5 flex-none">
                      <path stroke-linecap="round" stroke-linejoin="round" d="M11.48 3.499a.562.562 0 0 1 1.04 0l2.125 \
      5.111a.563.563 0 0 0 .475.345l5.518.442c.499.04.701.663.321.988l-4.204 3.602a.563.563 0 0 0-.182.557l1.285 5.385a\
      .562.562 0 0 1-.84.61l-4.725-2.885a.562.562 0 0 0-.586 0L6.982 20.54a.562.562 0 0 1-.84-.61l1.285-5.386a.562.562 \
      0 0 0-.182-.557l-4.204-3.602a.562.562 0 0 1 .321-.988l5.518-.442a.563.563 0 0 0 .475-.345L11.48 3.5Z" />
                    </svg>
      """;

  /** The service table of the index page (productpage's view of its upstreams). */
  static final String SERVICE_TABLE = table("<tr><th>name</th><td>http://details:9080</td></tr>"
      + "<tr><th>endpoint</th><td>details</td></tr><tr><th>children</th><td>" + table(
          "<thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead><tbody>"
              + "<tr><td>http://details:9080</td><td>details</td><td></td></tr>"
              + "<tr><td>http://reviews:9080</td><td>reviews</td><td>" + table(
                  "<thead><tr><th>name</th><th>endpoint</th><th>children</th></tr></thead><tbody>"
                      + "<tr><td>http://ratings:9080</td><td>ratings</td><td></td></tr></tbody>")
              + "</td></tr></tbody>") + "</td></tr>");

  private Pages() {}

  private static String table(String rows) {
    return "<table class=\"table table-condensed table-bordered table-hover\">" + rows + "</table>";
  }

  private static String head(String title) {
    return """
        <!DOCTYPE html>
        <html>
        <head>
        <meta charset="utf-8">
        <meta http-equiv="X-UA-Compatible" content="IE=edge">
        <meta name="viewport" content="width=device-width, initial-scale=1.0">
        <title>%s</title>
        <link rel="stylesheet" href="static/bookinfo.css">
        """.formatted(title);
  }

  static String index() {
    return head("Simple Bookstore App") + """
        </head>
        <body>
        <div class="mx-auto px-4 sm:px-6 lg:px-8">
            <div class="flex flex-col space-y-5 py-32 mx-auto max-w-7xl">
                <h3 class="text-2xl">Hello! This is a simple bookstore application consisting of three services as \
        shown below
                </h3>
                %s
                <p>
                    Click on one of the links below to auto generate a request to the backend as a real user or a tester
                </p>
                <ul>
                    <li>
                        <a href="/productpage?u=normal" class="text-blue-500 hover:text-blue-600">Normal user</a>
                    </li>
                    <li>
                        <a href="/productpage?u=test" class="text-blue-500 hover:text-blue-600">Test user</a>
                    </li>
                </ul>
            </div>
        </div>
        </body>
        </html>
        """.formatted(SERVICE_TABLE);
  }

  static String productPage(@Nullable String user, UpstreamResult details, UpstreamResult reviews) {
    StringBuilder out = new StringBuilder(head("Simple Bookstore App"));
    out.append(ProductPageParts.SCRIPT).append("</head>\n<body>\n");
    ProductPageParts.nav(out, user);
    out.append(ProductPageParts.SIGN_IN_DIALOG);
    ProductPageParts.description(out);
    details(out, details);
    reviews(out, reviews);
    return out.append("</body>\n</html>\n").toString();
  }

  private static void details(StringBuilder out, UpstreamResult details) {
    out.append("""
        <!-- Book details table -->
        <div class="container mt-8 mx-auto px-4 sm:px-6 lg:px-8">
          <div class="mt-4 py-10">
              <div class="max-w-2xl">
                <div class="flow-root">
        """);
    JsonNode d = details.body();
    if (details.ok()) {
      out.append("""
                    <h4 class="text-3xl font-semibold">Book Details</h4>
                    <div class="-mx-4 -my-2 overflow-x-auto sm:-mx-6 lg:-mx-8">
                      <div class="inline-block min-w-full py-2 align-middle sm:px-6 lg:px-8">
                        <table class="min-w-full divide-y divide-gray-300">
                          <thead>
                            <tr>
                              <th scope="col" class="whitespace-nowrap py-3.5 pl-4 pr-3 text-left text-sm \
          font-semibold text-gray-900 sm:pl-0">ISBN-10</th>
                              <th scope="col" class="whitespace-nowrap px-2 py-3.5 text-left text-sm font-semibold \
          text-gray-900">Publisher</th>
                              <th scope="col" class="whitespace-nowrap px-2 py-3.5 text-left text-sm font-semibold \
          text-gray-900">Pages</th>
                              <th scope="col" class="whitespace-nowrap px-2 py-3.5 text-left text-sm font-semibold \
          text-gray-900">Type</th>
                              <th scope="col" class="whitespace-nowrap px-2 py-3.5 text-left text-sm font-semibold \
          text-gray-900">Language</th>
                            </tr>
                          </thead>
                          <tbody class="divide-y divide-gray-200 bg-white">
                            <tr>
                              <td class="whitespace-nowrap py-2 pl-4 pr-3 text-sm text-gray-500 sm:pl-0">%s</td>
                              <td class="whitespace-nowrap px-2 py-2 text-sm font-medium text-gray-900">%s</td>
                              <td class="whitespace-nowrap px-2 py-2 text-sm text-gray-900">%s</td>
                              <td class="whitespace-nowrap px-2 py-2 text-sm text-gray-500">%s</td>
                              <td class="whitespace-nowrap px-2 py-2 text-sm text-gray-500">%s</td>
                            </tr>
                          </tbody>
                        </table>
                      </div>
                    </div>
          """.formatted(field(d, "ISBN-10"), field(d, "publisher"), field(d, "pages"), field(d, "type"),
          field(d, "language")));
    } else {
      out.append("          <p class=\"text-2xl text-red-500\">Error fetching product details</p>\n");
      out.append("          <p class=\"text-lg text-gray-600\">").append(field(d, "error")).append("</p>\n");
    }
    out.append("""
                </div>
              </div>
          </div>
        </div>
        """);
  }

  private static void reviews(StringBuilder out, UpstreamResult reviews) {
    out.append("""
        <!-- Book reviews section -->
        <div class="bg-blue-600/5 py-12 mx-auto" >
          <div class="container mx-auto px-4 sm:px-6 lg:px-8">
            <div class="max-w-2xl">
        """);
    JsonNode r = reviews.body();
    if (reviews.ok()) {
      out.append("      <h4 class=\"text-3xl font-semibold\">Book Reviews</h4>\n");
      out.append("      <div class=\"flex flex-col md:flex-row\">\n");
      for (JsonNode review : r.path("reviews")) {
        ProductPageParts.review(out, review, field(r, "podname"), r.path("clustername").asString("null"));
      }
      out.append("      </div>\n");
    } else {
      out.append("      <p class=\"text-2xl text-red-500\">Error fetching product reviews</p>\n");
      out.append("      <p class=\"text-lg text-gray-600\">").append(field(r, "error")).append("</p>\n");
    }
    out.append("""
            </div>
            </div>
          </div>
        </div>
        """);
  }

  /** A member of {@code node} as Jinja prints it: escaped, empty when absent. */
  static String field(JsonNode node, String name) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return "";
    }
    return escape(value.isString() ? value.asString() : value.toString());
  }
}
