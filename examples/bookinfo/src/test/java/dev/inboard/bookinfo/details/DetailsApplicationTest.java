package dev.inboard.bookinfo.details;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.bookinfo.Apps;
import dev.inboard.bookinfo.Http;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetailsApplicationTest {
  static final String BOOK = "{\"id\":%s,\"author\":\"William Shakespeare\",\"year\":1595,\"type\":\"paperback\","
      + "\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\",\"ISBN-10\":\"1234567890\","
      + "\"ISBN-13\":\"123-1234567890\"}";
  static final Apps apps = new Apps();
  static String base;

  @BeforeAll
  static void start() {
    base = Apps.base(apps.startAlone(DetailsApplication::run));
  }

  @AfterAll
  static void stop() {
    apps.close();
  }

  @Test
  void health() {
    Http.Answer a = Http.get(base + "/health");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.body()).isEqualTo("{\"status\":\"Details is healthy\"}");
  }

  @Test
  void details_ofProduct0_isTheBookJsonByteForByte() {
    Http.Answer a = Http.get(base + "/details/0");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.body()).isEqualTo(BOOK.formatted(0));
  }

  @ParameterizedTest
  @CsvSource({"/details/7,7", "/details/-3,-3", "/details/0x1A,26", "/details/017,15", "/details/1_000,1000",
      "/anything/details/9,", "/details/a/b/12,12"})
  void details_idIsTheLastSegment_readAsRubyIntegerReadsIt(String path, String id) {
    Http.Answer a = Http.get(base + path);
    if (id == null) {
      assertThat(a.status()).isEqualTo(404);
    } else {
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo(BOOK.formatted(id));
    }
  }

  @ParameterizedTest
  @CsvSource({"/details/abc", "/details/1.5", "/details/09", "/details", "/details/12abc"})
  void details_nonNumericId_is400WithTheOriginalMessage(String path) {
    Http.Answer a = Http.get(base + path);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.body()).isEqualTo("{\"error\":\"please provide numeric product id\"}");
  }

  @Test
  void details_answersAnyMethod() {
    Http.Answer a = Http.post(base + "/details/4", "text/plain", "", Map.of());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo(BOOK.formatted(4));
  }
}
