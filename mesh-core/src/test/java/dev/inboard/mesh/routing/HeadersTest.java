package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void mapHeaders_lowerCaseNames_mergeFoldedNames_andJoinValuesWithComma() {
    Headers headers = Headers.of(Map.of("X-Multi", List.of("a", "b"), "Content-Type", List.of("application/grpc")));
    assertThat(headers.first("x-multi")).isEqualTo("a");
    assertThat(headers.all("x-multi")).containsExactly("a", "b");
    assertThat(headers.joined("x-multi")).isEqualTo("a,b");
    assertThat(headers.joined("content-type")).isEqualTo("application/grpc");
    assertThat(headers.first("absent")).isNull();
    assertThat(headers.joined("absent")).isNull();
    assertThat(headers.all("absent")).isEmpty();
  }

  @Test
  void requestInfo_pathEndStopsAtQueryOrFragment() {
    assertThat(RouteTables.get("/a/b?x=1").pathEnd()).isEqualTo(4);
    assertThat(RouteTables.get("/a#f").pathEnd()).isEqualTo(2);
    assertThat(RouteTables.get("/a").pathEnd()).isEqualTo(2);
  }

  @Test
  void queryStrings_firstValue_decodingAndBareNames() {
    assertThat(QueryStrings.firstValue("/p?a=1&b=%41%42&c", "b", true)).isEqualTo("AB");
    assertThat(QueryStrings.firstValue("/p?a=1&b=%41%42&c", "b", false)).isEqualTo("%41%42");
    assertThat(QueryStrings.firstValue("/p?a=1&b=%41%42&c", "c", true)).isEmpty();
    assertThat(QueryStrings.firstValue("/p?a=1#b=2", "b", true)).isNull();
    assertThat(QueryStrings.firstValue("/p", "a", true)).isNull();
    assertThat(QueryStrings.percentDecode("%zz%4")).isEqualTo("%zz%4");
  }
}
