package dev.inboard.bookinfo.productpage;

import static dev.inboard.bookinfo.testing.Bookinfo.PRODUCTPAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.bookinfo.Http;
import dev.inboard.bookinfo.testing.Bookinfo;
import dev.inboard.bookinfo.testing.BookinfoMesh;
import dev.inboard.bookinfo.testing.RecorderApplication;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What productpage sends reviews, seen by a real workload in reviews' place (the recorder, routed to by a
 * VirtualService): the propagated headers, {@code end-user} from the session only, and two attempts.
 */
@ExtendWith(Bookinfo.class)
class HeaderPropagationMeshTest {
  /** The vector of productpage's unit test: must arrive unchanged at {@code http://reviews:9080/reviews/0}. */
  static final Map<String, String> VECTOR = Map.of(
      "x-request-id", "34eeb41d-d267-9e49-8b84-dde403fc5b72",
      "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7",
      "x-b3-spanid", "e457b5a2e4d86bd1",
      "x-b3-sampled", "1",
      "sw8", "40c7fdf104e3de67");

  final BookinfoMesh mesh;
  final String base;

  HeaderPropagationMeshTest(BookinfoMesh mesh) {
    this.mesh = mesh;
    this.base = mesh.base(PRODUCTPAGE);
  }

  @BeforeEach
  void reviewsToTheRecorder() {
    mesh.applySample("virtual-service-all-v1.yaml");
    mesh.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: recorder
        """);
    // Only the recorder records: once it sees productpage's call, the route is in place.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      RecorderApplication.RECEIVED.clear();
      Http.get(base + "/productpage");
      return !RecorderApplication.RECEIVED.isEmpty();
    });
    RecorderApplication.RECEIVED.clear();
  }

  @AfterEach
  void recorderAnswers() {
    RecorderApplication.FAIL.set(false);
  }

  @Test
  void theVectorArrivesUnchangedAtReviews_parentSpanAndIncomingEndUserDoNot() {
    Map<String, String> incoming = new LinkedHashMap<>(VECTOR);
    incoming.put("x-b3-parentspanid", "1111111111111111");
    incoming.put("end-user", "mallory");
    incoming.put("x-datadog-trace-id", "123");
    incoming.put("x-not-propagated", "no");
    assertThat(Http.get(base + "/productpage", incoming).status()).isEqualTo(200);

    assertThat(RecorderApplication.RECEIVED).hasSize(1);
    Map<String, String> received = RecorderApplication.RECEIVED.get(0);
    assertThat(received).containsAllEntriesOf(VECTOR).containsEntry("x-datadog-trace-id", "123")
        .containsEntry(":path", "/reviews/0")
        .doesNotContainKeys("x-b3-parentspanid", "end-user", "x-not-propagated");
  }

  @Test
  void b3_aShortTraceIdIsWidened_andWithoutAValidContextNoB3IsSent() {
    Http.get(base + "/productpage", Map.of("x-b3-traceid", "A57D3EFF780F198E", "x-b3-spanid", "e457b5a2e4d86bd1",
        "x-b3-flags", "1"));
    Http.get(base + "/productpage", Map.of("x-b3-traceid", "not-hex", "x-b3-spanid", "e457b5a2e4d86bd1"));
    assertThat(RecorderApplication.RECEIVED).hasSize(2);
    assertThat(RecorderApplication.RECEIVED.get(0)).containsEntry("x-b3-traceid", "0000000000000000a57d3eff780f198e")
        .containsEntry("x-b3-sampled", "1").doesNotContainKey("x-b3-flags");
    assertThat(RecorderApplication.RECEIVED.get(1)).doesNotContainKeys("x-b3-traceid", "x-b3-spanid", "x-b3-sampled");
  }

  @Test
  void endUser_comesFromTheSession_untilLogout() {
    String cookie = Http.post(base + "/login", "application/x-www-form-urlencoded", "username=jason&passwd=x",
        Map.of("Referer", base + "/productpage")).headers().get("set-cookie").split(";")[0];
    Http.get(base + "/productpage", Map.of("cookie", cookie, "end-user", "mallory"));
    Http.get(base + "/logout", Map.of("cookie", cookie, "Referer", base + "/productpage"));
    Http.get(base + "/productpage", Map.of("cookie", cookie));

    assertThat(RecorderApplication.RECEIVED).hasSize(2);
    assertThat(RecorderApplication.RECEIVED.get(0)).containsEntry("end-user", "jason")
        .containsEntry("cookie", cookie);
    assertThat(RecorderApplication.RECEIVED.get(1)).doesNotContainKey("end-user");
  }

  @Test
  void reviewsFailing_isTriedTwice_thenReportedWithItsStatus() {
    RecorderApplication.FAIL.set(true);
    Http.Answer api = Http.get(base + "/api/v1/products/0/reviews");
    assertThat(api.status()).isEqualTo(503);
    assertThat(api.body())
        .isEqualTo("{\"error\": \"Sorry, product reviews are currently unavailable for this book.\"}");
    assertThat(RecorderApplication.RECEIVED).hasSize(2);
    Http.Answer details = Http.get(base + "/api/v1/products/0");
    assertThat(details.status()).isEqualTo(200);
    assertThat(RecorderApplication.RECEIVED).hasSize(2);
  }
}
