package dev.inboard.bookinfo.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The control API of a running {@code meshctl serve}: what {@code meshctl apply -f} and {@code delete -f} send.
 *
 * @param base {@code http://127.0.0.1:15014}
 */
public record ControlApi(URI base) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Applies one YAML file as one change; returns the server's JSON answer. */
  public String apply(Path file) {
    return post("/v1/apply", file);
  }

  /** Deletes the resources one YAML file names; returns the server's JSON answer (absent ones are listed). */
  public String delete(Path file) {
    return post("/v1/delete", file);
  }

  /** Applies YAML given as text. */
  public String apply(String source, String yaml) {
    return post("/v1/apply", source, yaml);
  }

  /** Deletes the resources YAML given as text names. */
  public String delete(String source, String yaml) {
    return post("/v1/delete", source, yaml);
  }

  /** {@code GET /v1/proxy-status}: the connected proxies and what they acknowledged, as JSON. */
  public String proxyStatus() {
    return send(HttpRequest.newBuilder(base.resolve("/v1/proxy-status")).timeout(Duration.ofSeconds(30)).GET()
        .build(), "proxy-status");
  }

  private String post(String path, Path file) {
    try {
      return post(path, file.getFileName().toString(), Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private String post(String path, String source, String yaml) {
    URI uri = base.resolve(path + "?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), source);
  }

  private static String send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the control plane at " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the control plane refused " + what + " (HTTP " + response.statusCode() + "): "
          + response.body());
    }
    return response.body();
  }
}
