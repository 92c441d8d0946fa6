package dev.inboard.bookinfo.reviews;

import static dev.inboard.bookinfo.testing.Bookinfo.REVIEWS_GRPC;
import static dev.inboard.bookinfo.testing.Bookinfo.REVIEWS_V1;
import static dev.inboard.bookinfo.testing.Bookinfo.REVIEWS_V2;
import static dev.inboard.bookinfo.testing.Bookinfo.REVIEWS_V3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.bookinfo.Http;
import dev.inboard.bookinfo.testing.Bookinfo;
import dev.inboard.bookinfo.testing.BookinfoMesh;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** reviews v1, v2, v3 and reviews over gRPC, with a real ratings reached through the mesh. */
@ExtendWith(Bookinfo.class)
class ReviewsMeshTest {
  static final String REVIEW1 = "{  \"reviewer\": \"Reviewer1\",  \"text\": \"An extremely entertaining play by "
      + "Shakespeare. The slapstick humour is refreshing!\"";
  static final String REVIEW2 = "{  \"reviewer\": \"Reviewer2\",  \"text\": \"Absolutely fun and entertaining. The "
      + "play lacks thematic depth when compared to other plays by Shakespeare.\"";
  static final String UNAVAILABLE = ", \"rating\": {\"error\": \"Ratings service is currently unavailable\"}";

  final BookinfoMesh mesh;

  ReviewsMeshTest(BookinfoMesh mesh) {
    this.mesh = mesh;
  }

  @BeforeEach
  void allV1() {
    mesh.applySample("virtual-service-all-v1.yaml");
  }

  static String reviews(String pod, String rating1, String rating2) {
    return "{\"id\": \"0\",\"podname\": \"" + pod + "\",\"clustername\": \"null\",\"reviews\": [" + REVIEW1 + rating1
        + "}," + REVIEW2 + rating2 + "}]}";
  }

  static String stars(int n, String color) {
    return ", \"rating\": {\"stars\": " + n + ", \"color\": \"" + color + "\"}";
  }

  @Test
  void health() {
    Http.Answer a = Http.get(mesh.base(REVIEWS_V1) + "/health");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.body()).isEqualTo("{\"status\": \"Reviews is healthy\"}");
  }

  @Test
  void v1_hasNoRatingAtAll() {
    Http.Answer a = Http.get(mesh.base(REVIEWS_V1) + "/reviews/0");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.body()).isEqualTo(reviews("reviews-v1", "", ""));
  }

  @Test
  void v2_blackStars_fromRatingsThroughTheMesh() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        Http.get(mesh.base(REVIEWS_V2) + "/reviews/0").body())
        .isEqualTo(reviews("reviews-v2", stars(5, "black"), stars(4, "black"))));
  }

  @Test
  void v3_redStars() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        Http.get(mesh.base(REVIEWS_V3) + "/reviews/0").body())
        .isEqualTo(reviews("reviews-v3", stars(5, "red"), stars(4, "red"))));
  }

  @Test
  void productIdNotAnInt_isNotFound_asJaxRsAnswers() {
    assertThat(Http.get(mesh.base(REVIEWS_V1) + "/reviews/abc").status()).isEqualTo(404);
  }

  @Test
  void ratingsAborted_everyReviewSaysRatingsAreUnavailable_andGrpcOnItsOwnPortIsUnaffected() {
    mesh.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: ratings
        spec:
          hosts:
          - ratings
          http:
          - match:
            - port: 9080
            fault:
              abort:
                percentage:
                  value: 100.0
                httpStatus: 500
            route:
            - destination:
                host: ratings
                subset: v1
          - route:
            - destination:
                host: ratings
                subset: v1
        """);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        Http.get(mesh.base(REVIEWS_V3) + "/reviews/0").body())
        .isEqualTo(reviews("reviews-v3", UNAVAILABLE, UNAVAILABLE)));
    assertThat(Http.get(mesh.base(REVIEWS_GRPC) + "/reviews/0").body())
        .isEqualTo(reviews("reviews-grpc", stars(5, "red"), stars(4, "red")));
  }

  @Test
  void overGrpc_redStars_fromRatingsGrpcApi() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        Http.get(mesh.base(REVIEWS_GRPC) + "/reviews/0").body())
        .isEqualTo(reviews("reviews-grpc", stars(5, "red"), stars(4, "red"))));
  }
}
