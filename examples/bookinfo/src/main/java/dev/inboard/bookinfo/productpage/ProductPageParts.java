package dev.inboard.bookinfo.productpage;

import static dev.inboard.bookinfo.productpage.Html.escape;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The product page's navigation bar, sign-in dialog, description and review blocks. */
final class ProductPageParts {
  static final String SCRIPT = """
      <script type="text/javascript">
        window.addEventListener("DOMContentLoaded", () => {
          const dialog = document.querySelector("dialog");
          const open = document.querySelector("#sign-in-button");
          const close = document.querySelector("#close-dialog");
          if (open) {
            open.addEventListener("click", () => dialog.showModal());
          }
          if (close) {
            close.addEventListener("click", () => dialog.close());
          }
        });
      </script>
      """;

  static final String SIGN_IN_DIALOG = """
      <!-- Sign in dialog -->
      <dialog id="dialog" class="w-full sm:w-2/3 lg:w-1/3 border rounded-md shadow-xl">
        <div class="flex min-h-full flex-col justify-center px-6 py-12 lg:px-8">
          <div class="absolute right-0 top-0 hidden pr-4 pt-4 sm:block">
            <button id="close-dialog" type="button" class="rounded-md bg-white text-gray-400 hover:text-gray-500">
              <span class="sr-only">Close</span>
              <svg class="h-6 w-6" fill="none" viewBox="0 0 24 24" stroke-width="1.5" stroke="currentColor" \
      aria-hidden="true">
                <path stroke-linecap="round" stroke-linejoin="round" d="M6 18L18 6M6 6l12 12" />
              </svg>
            </button>
          </div>
          <div class="sm:mx-auto sm:w-full sm:max-w-sm">
              <h2 class="mt-5 text-center text-2xl font-bold leading-9 tracking-tight text-gray-900">Sign in to \
      BookInfo</h2>
          </div>
          <div class="mt-10 sm:mx-auto sm:w-full sm:max-w-sm">
            <form class="space-y-6" method="post" action='login' name="login_form">
              <div>
                <label for="email" class="block text-sm font-medium leading-6 text-gray-900">Username</label>
                <div class="mt-2">
                  <input id="username" name="username" required class="block w-full px-3 rounded-md border-0 \
      py-1.5 text-gray-900">
                </div>
              </div>
              <div>
                <div class="flex items-center justify-between">
                  <label for="password" class="block text-sm font-medium leading-6 text-gray-900">Password</label>
                </div>
                <div class="mt-2">
                  <input id="password" name="passwd" type="password" required class="block w-full px-3 rounded-md \
      border-0 py-1.5 text-gray-900">
                </div>
              </div>
              <div>
                <button type="submit" class="flex w-full justify-center rounded-md bg-blue-600 px-3 py-1.5 text-sm \
      font-semibold leading-6 text-white">Sign in</button>
              </div>
            </form>
          </div>
        </div>
      </dialog>
      """;

  private ProductPageParts() {}

  static void nav(StringBuilder out, @Nullable String user) {
    out.append("""
        <nav class="bg-gray-800">
          <div class="container mx-auto px-4 sm:px-6 lg:px-8">
            <div class="relative flex h-16 items-center justify-between">
              <a href="#" class="text-white px-3 py-2 text-lg font-medium" aria-current="page">BookInfo Sample</a>
              <div class="absolute inset-y-0 right-0 flex items-center pr-2 sm:static sm:inset-auto sm:ml-6 sm:pr-0">
        """);
    if (user != null && !user.isEmpty()) {
      out.append("""
                  <a href="#" class="group block flex-shrink-0">
                    <div class="flex items-center">
                      <div>
                        <img class="inline-block h-9 w-9 rounded-full bg-blue-50" src="static/img/izzy.svg" alt="">
                      </div>
                      <div class="ml-4">
                        <p class="text-base font-medium text-gray-50">%s</p>
                        <a href="logout" class="text-xs font-medium text-gray-400 hover:text-gray-300">Sign out</a>
                      </div>
                    </div>
                  </a>
          """.formatted(escape(user)));
    } else {
      out.append("""
                    <button type="button" id="sign-in-button" class="rounded-md bg-blue-600 px-3.5 py-2.5 text-sm \
          font-semibold text-white shadow-sm hover:bg-blue-500">
                      Sign in
                    </button>
          """);
    }
    out.append("""
              </div>
            </div>
          </div>
        </nav>
        """);
  }

  static void description(StringBuilder out) {
    out.append("""
        <!-- Book description section -->
        <div class="container mt-8 mx-auto px-4 sm:px-6 lg:px-8">
          <h1 class="text-5xl font-bold tracking-tight text-blue-900">%s</h1>
          <div class="mt-6 max-w-4xl">
            <p class="mt-6 text-xl leading-8 text-gray-600">%s</p>
            <div class="mt-6">
              <a href="https://istio.io" target="_blank" class="text-sm font-semibold leading-6 text-blue-600 \
        hover:text-blue-700">Learn more about Istio <span aria-hidden="true">→</span></a>
            </div>
          </div>
        </div>
        """.formatted(escape(Products.TITLE), Products.DESCRIPTION_HTML));
  }

  /**
   * One review: its stars ({@code stars} full, {@code 5 - stars} empty, in {@code text-<color>-500}) or the ratings
   * error, its text and reviewer, and which reviews instance served it.
   */
  static void review(StringBuilder out, JsonNode review, String podName, String clusterName) {
    out.append("        <section class=\"px-6 py-12 sm:py-8 lg:px-8\">\n");
    out.append("          <div class=\"mx-auto max-w-2xl\">\n");
    JsonNode rating = review.path("rating");
    int stars = rating.path("stars").asInt(0);
    if (stars != 0) {
      out.append("            <div class=\"flex gap-x-1 text-").append(Pages.field(rating, "color"))
          .append("-500\">\n");
      for (int i = 0; i < stars; i++) {
        out.append(Pages.FULL_STAR);
      }
      for (int i = 0; i < 5 - stars; i++) {
        out.append(Pages.EMPTY_STAR);
      }
      out.append("            </div>\n");
    } else if (!Pages.field(rating, "error").isEmpty()) {
      out.append("            <p class=\"text-red-500\">").append(Pages.field(rating, "error")).append("</p>\n");
    }
    out.append("""
                    <blockquote class="mt-10 text-xl font-semibold leading-8 tracking-tight text-gray-900 sm:text-2xl \
        sm:leading-9">
                      <p>"%s"</p>
                    </blockquote>
                    <div class="mt-4 flex items-center gap-x-6">
                      <img class="h-16 w-16 rounded-full bg-gray-50" src="static/img/izzy.svg" alt="Izzy">
                      <div class="text-sm leading-6">
                        <div class="font-semibold text-gray-900">%s</div>
                        <div class="mt-0.5 text-gray-600 font-mono">Reviews served by:
                          %s
        """.formatted(Pages.field(review, "text"), Pages.field(review, "reviewer"), podName));
    if (!"null".equals(clusterName)) {
      out.append("              on cluster <div>").append(escape(clusterName)).append("</div>\n");
    }
    out.append("""
                        </div>
                      </div>
                    </div>
                  </div>
                </section>
        """);
  }
}
