package dev.inboard.bookinfo.productpage;

import dev.inboard.bookinfo.common.B3Context;
import dev.inboard.bookinfo.common.HeaderPropagation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** productpage's pages and API. */
@RestController
class ProductPageController {
  static final String USER = "user";

  private final Upstreams upstreams;
  private final RequestCounter counter;

  ProductPageController(@Qualifier("meshOkHttpClient") ObjectProvider<OkHttpClient> mesh, RequestCounter counter) {
    // Without the mesh (mesh.enabled=false) the names resolve through DNS, as in a cluster without Istio.
    this.upstreams = new Upstreams(mesh.getIfAvailable(OkHttpClient::new), counter);
    this.counter = counter;
  }

  @GetMapping(path = {"/", "/index.html"}, produces = MediaType.TEXT_HTML_VALUE)
  String index() {
    return Pages.index();
  }

  @GetMapping(path = "/health", produces = MediaType.TEXT_HTML_VALUE)
  String health() {
    return "Product page is healthy";
  }

  @PostMapping("/login")
  ResponseEntity<Void> login(@RequestParam(name = "username", required = false) @Nullable String username,
      HttpServletRequest request) {
    HttpSession session = request.getSession(true);
    if (username == null) {
      session.removeAttribute(USER);
    } else {
      session.setAttribute(USER, username);
    }
    return backToReferer(request);
  }

  @GetMapping("/logout")
  ResponseEntity<Void> logout(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.removeAttribute(USER);
    }
    return backToReferer(request);
  }

  @GetMapping(path = "/productpage", produces = MediaType.TEXT_HTML_VALUE)
  String productPage(HttpServletRequest request) {
    Map<String, String> headers = forwardHeaders(request);
    UpstreamResult details = upstreams.details("0", headers);
    UpstreamResult reviews = upstreams.reviews("0", headers);
    return Pages.productPage(user(request), details, reviews);
  }

  @GetMapping(path = "/api/v1/products", produces = MediaType.APPLICATION_JSON_VALUE)
  String products() {
    return Products.json();
  }

  @GetMapping("/api/v1/products/{id}")
  ResponseEntity<String> product(@PathVariable("id") String id, HttpServletRequest request) {
    return json(upstreams.details(id, forwardHeaders(request)));
  }

  @GetMapping("/api/v1/products/{id}/reviews")
  ResponseEntity<String> productReviews(@PathVariable("id") String id, HttpServletRequest request) {
    return json(upstreams.reviews(id, forwardHeaders(request)));
  }

  @GetMapping("/api/v1/products/{id}/ratings")
  ResponseEntity<String> productRatings(@PathVariable("id") String id, HttpServletRequest request) {
    return json(upstreams.ratings(id, forwardHeaders(request)));
  }

  @GetMapping(path = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
  String metrics() {
    return counter.prometheusText();
  }

  /**
   * The headers productpage puts on its upstream calls: the incoming B3 context re-written, {@code end-user} from
   * the signed-in user (never from the request), and the verbatim list.
   */
  static Map<String, String> forwardHeaders(HttpServletRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    B3Context.extract(request).ifPresent(b3 -> headers.putAll(b3.headers()));
    String user = user(request);
    if (user != null) {
      headers.put("end-user", user);
    }
    headers.putAll(HeaderPropagation.copy(request, HeaderPropagation.PRODUCTPAGE_HEADERS));
    return headers;
  }

  static @Nullable String user(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session == null ? null : (String) session.getAttribute(USER);
  }

  /** 302 to the page the form was on; to the product page when the request does not say which. */
  private static ResponseEntity<Void> backToReferer(HttpServletRequest request) {
    String referer = request.getHeader("referer");
    URI location = URI.create("/productpage");
    if (referer != null && !referer.isBlank()) {
      try {
        location = new URI(referer.trim());
      } catch (URISyntaxException e) {
        // not a URI: the product page
      }
    }
    return ResponseEntity.status(HttpStatus.FOUND).location(location).build();
  }

  private static ResponseEntity<String> json(UpstreamResult result) {
    return ResponseEntity.status(result.status()).contentType(MediaType.APPLICATION_JSON).body(result.json());
  }
}
