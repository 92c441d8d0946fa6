package dev.inboard.bookinfo.e2e;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.inboard.bookinfo.launcher.BookinfoLayout;
import dev.inboard.bookinfo.launcher.ControlApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio configuration changed through the control plane's API (what {@code meshctl apply/delete} send), each change
 * awaited until every connected proxy has acknowledged the push it caused.
 */
final class MeshConfig {
  private final ControlApi api;
  private final BookinfoLayout layout;

  MeshConfig(ControlApi api, BookinfoLayout layout) {
    this.api = api;
    this.layout = layout;
  }

  /** Applies one of Istio's networking samples. */
  void apply(String networkingFile) {
    applyFile(layout.networking(networkingFile));
  }

  /** Applies a YAML file from this module's test resources ({@code src/test/resources/tasks/...}). */
  void applyTask(String resource) {
    applyFile(taskFile(resource));
  }

  Path taskFile(String resource) {
    return layout.home().resolve("src/test/resources/tasks").resolve(resource);
  }

  private void applyFile(Path file) {
    awaitPushed(() -> api.apply(file));
  }

  /**
   * Back to the launcher's configuration: no VirtualServices (each deleted through the API) and Istio's
   * {@code destination-rule-all.yaml}.
   */
  void reset() {
    awaitPushed(() -> api.delete("reset", virtualServicesYaml()));
    apply("destination-rule-all.yaml");
  }

  /** Deletion stubs (kind, namespace, name) for every VirtualService being served. */
  private String virtualServicesYaml() {
    StringBuilder yaml = new StringBuilder();
    for (String name : List.of("productpage", "details", "reviews", "ratings")) {
      yaml.append("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ").append(name)
          .append(", namespace: default}\nspec: {hosts: [").append(name).append("]}\n---\n");
    }
    return yaml.toString();
  }

  /**
   * Runs {@code change}, which answers the control API's JSON for an apply or delete; when it changed anything,
   * waits until every proxy has acknowledged a new push.
   */
  void awaitPushed(java.util.function.Supplier<String> change) {
    Map<String, String> before = sentVersions();
    String answer = change.get();
    JsonObject reply = JsonParser.parseString(answer).getAsJsonObject();
    boolean changed = false;
    for (JsonElement c : reply.getAsJsonArray("changes")) {
      changed |= !c.getAsJsonObject().get("action").getAsString().equals("unchanged");
    }
    if (!changed) {
      return;
    }
    await("every proxy answers the push after " + answer).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          Map<String, String> now = sentVersions();
          return !now.equals(before) && allAcknowledged();
        });
  }

  /** proxy/type -> version last sent. */
  private Map<String, String> sentVersions() {
    Map<String, String> out = new TreeMap<>();
    for (JsonElement p : proxies()) {
      String name = p.getAsJsonObject().get("name").getAsString();
      for (JsonElement t : p.getAsJsonObject().getAsJsonArray("types")) {
        JsonObject type = t.getAsJsonObject();
        out.put(name + "/" + type.get("type").getAsString(), type.get("sentVersion").getAsString());
      }
    }
    return out;
  }

  /**
   * Every proxy has acknowledged what it was last sent. A NACK fails at once: the control plane sent config a
   * workload refused, which no scenario expects.
   */
  private boolean allAcknowledged() {
    for (JsonElement p : proxies()) {
      for (JsonElement t : p.getAsJsonObject().getAsJsonArray("types")) {
        String state = t.getAsJsonObject().get("state").getAsString();
        if (state.equals("NACKED")) {
          throw new AssertionError("proxy " + p.getAsJsonObject().get("name").getAsString() + " refused "
              + t.getAsJsonObject().get("type").getAsString() + ": " + t);
        }
        if (state.equals("STALE")) {
          return false;
        }
      }
    }
    return true;
  }

  private Iterable<JsonElement> proxies() {
    return JsonParser.parseString(api.proxyStatus()).getAsJsonObject().getAsJsonArray("proxies");
  }
}
