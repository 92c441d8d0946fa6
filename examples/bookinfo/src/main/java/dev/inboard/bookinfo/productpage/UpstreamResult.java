package dev.inboard.bookinfo.productpage;

import dev.inboard.bookinfo.common.PythonJson;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What productpage got from an upstream: on success (200) the parsed JSON, otherwise the status to show (the
 * upstream's, or 500 when there was no answer) and productpage's error message.
 *
 * @param status 200 or the failure's status
 * @param body the upstream's JSON, or {@code {"error": ...}}
 */
record UpstreamResult(int status, JsonNode body) {
  boolean ok() {
    return status == 200;
  }

  /** The body as productpage's API writes it (Python's json.dumps). */
  String json() {
    return PythonJson.write(body);
  }

  static String errorJson(String message) {
    return PythonJson.object(Map.of("error", message));
  }
}
