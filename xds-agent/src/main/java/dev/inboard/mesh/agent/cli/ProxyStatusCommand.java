package dev.inboard.mesh.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshctl proxy-status}: connected proxies and, per xDS type, whether they have what was sent. */
@Command(name = "proxy-status", mixinStandardHelpOptions = true,
    description = {
        "List the proxies connected to a running `meshctl serve` and their sync state per xDS type.",
        "SYNCED: has what is served. STALE: sent, not yet acknowledged. NACKED: refused (the reason follows the "
            + "table). NOT SENT: nothing of the type was sent."})
final class ProxyStatusCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Mixin
  private ServerOptions server;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (default) or json.")
  private OutputFormat output;

  @Override
  public Integer call() {
    ApiClient.Reply reply = server.client().get("/v1/proxy-status");
    if (!reply.ok()) {
      throw new CliException(reply.error());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.JSON) {
      out.println(reply.body().toPrettyString());
      out.flush();
      return Meshctl.OK;
    }
    JsonNode proxies = reply.body().path("proxies");
    if (proxies.isEmpty()) {
      out.println("No proxies are connected.");
      out.flush();
      return Meshctl.OK;
    }
    TableWriter table = new TableWriter("NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "PROTOCOL", "REGISTERED");
    List<String> details = new ArrayList<>();
    for (JsonNode p : proxies) {
      String name = p.path("name").asText();
      List<String> cells = new ArrayList<>(List.of(name, orDash(p.path("clusterId").asText())));
      for (String type : List.of("CDS", "LDS", "EDS", "RDS")) {
        JsonNode t = typeOf(p, type);
        cells.add(t.path("state").asText("NOT_SENT").replace('_', ' '));
        JsonNode nack = t.path("lastNack");
        if (t.path("state").asText().equals("NACKED") && !nack.isMissingNode()) {
          details.add(name + " " + type + " NACKED version " + nack.path("version").asText() + ": "
              + nack.path("message").asText());
        }
      }
      cells.add(p.path("protocol").asText());
      cells.add(p.path("registered").asBoolean() ? "yes" : "no");
      if (p.has("generationError")) {
        details.add(name + " cannot be generated for: " + p.path("generationError").asText());
      }
      table.row(cells.toArray(String[]::new));
    }
    table.print(out);
    if (!details.isEmpty()) {
      out.println();
      details.forEach(out::println);
    }
    out.flush();
    return Meshctl.OK;
  }

  private static JsonNode typeOf(JsonNode proxy, String type) {
    for (JsonNode t : proxy.path("types")) {
      if (t.path("type").asText().toUpperCase(Locale.ROOT).equals(type)) {
        return t;
      }
    }
    return proxy.path("missing");
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
