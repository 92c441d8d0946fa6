package dev.inboard.mesh.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.server.api.ApiJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Speaks to the control API of a running {@code meshctl serve}. */
final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A response: its status and JSON body. */
  record Reply(int status, JsonNode body) {
    boolean ok() {
      return status == 200;
    }

    /** The server's {@code error} message, else the status. */
    String error() {
      String message = body.path("error").asText("");
      return message.isEmpty() ? "the server answered HTTP " + status : message;
    }
  }

  private final ServerAddress server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(ServerAddress server) {
    this.server = server;
  }

  Reply get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT).GET().build());
  }

  Reply postJson(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://" + server + pathAndQuery);
  }

  private Reply send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("cannot reach a meshctl server at " + server + " (connection refused); start one with "
          + "`meshctl serve --config-dir DIR` or point --server at it");
    } catch (HttpTimeoutException e) {
      throw new CliException("the meshctl server at " + server + " did not answer in time");
    } catch (IOException e) {
      throw new CliException("cannot talk to the meshctl server at " + server + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    try {
      return new Reply(response.statusCode(), ApiJson.MAPPER.readTree(response.body()));
    } catch (JsonProcessingException e) {
      throw new CliException(server + " answered HTTP " + response.statusCode() + " with something that is not "
          + "meshctl's JSON; is it a meshctl server?");
    }
  }
}
