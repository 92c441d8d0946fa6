package dev.inboard.bookinfo.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PythonJsonTest {
  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void separatorsAndNesting_asJsonDumps() {
    String compact = "{\"id\":0,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4},\"list\":[1,\"a\",true,null],\"x\":1.5}";
    assertThat(PythonJson.write(json.readTree(compact))).isEqualTo(
        "{\"id\": 0, \"ratings\": {\"Reviewer1\": 5, \"Reviewer2\": 4}, \"list\": [1, \"a\", true, null], \"x\": 1.5}");
  }

  @Test
  void strings_nonAsciiAndControlCharactersEscaped_slashAndQuoteAsPython() {
    assertThat(PythonJson.write(json.readTree("\"caf\\u00e9 \\ud83d\\ude00 a/b \\\"q\\\" \\u0001\\u007f\\t\"")))
        .isEqualTo("\"caf\\u00e9 \\ud83d\\ude00 a/b \\\"q\\\" \\u0001\\u007f\\t\"");
  }

  @Test
  void object_ofStrings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("error", "Sorry, it's <b>gone</b>");
    assertThat(PythonJson.object(m)).isEqualTo("{\"error\": \"Sorry, it's <b>gone</b>\"}");
  }
}
