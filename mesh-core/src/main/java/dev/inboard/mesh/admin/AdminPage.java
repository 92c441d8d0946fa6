package dev.inboard.mesh.admin;

import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsSyncState;
import java.util.Map;

/** The admin index page: connection, per-type sync state, and what the snapshot holds. */
final class AdminPage {
  private AdminPage() {}

  static String render(MeshSnapshot snapshot, XdsSyncState sync) {
    StringBuilder html = new StringBuilder(4096);
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Inboard admin</title>")
        .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:left}")
        .append("th{background:#eee}.nack{color:#b00}</style></head><body>")
        .append("<h1>Inboard admin</h1>")
        .append("<p>Control plane <b>").append(esc(sync.server())).append("</b> over ")
        .append(sync.protocol()).append(": <b>").append(sync.connection()).append("</b>. Snapshot version ")
        .append(snapshot.version()).append(snapshot.complete() ? " (complete)" : " (still warming)")
        .append(". Full JSON: <a href=\"/config_dump\">/config_dump</a>.</p>")
        .append("<h2>xDS sync</h2><table><tr><th>type</th><th>subscription</th><th>ACKed version</th>")
        .append("<th>resources</th><th>last NACK</th></tr>");
    for (XdsSyncState.TypeSync type : sync.types()) {
      html.append("<tr><td>").append(esc(type.kind())).append("</td><td>")
          .append(type.wildcard() ? "wildcard" : type.subscribedNames().size() + " by name").append("</td><td>")
          .append(esc(type.ackedVersion())).append("</td><td>").append(type.resources().size()).append("</td><td>");
      type.lastNack().ifPresent(n -> html.append("<span class=\"nack\">").append(esc(n.reason())).append("</span>"));
      html.append("</td></tr>");
    }
    html.append("</table>");
    section(html, "Listeners", snapshot.listeners());
    section(html, "Route configurations", snapshot.routes());
    section(html, "Clusters", snapshot.clusters());
    html.append("<h2>Endpoints</h2><table><tr><th>cluster</th><th>endpoints</th></tr>");
    snapshot.endpoints().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      StringBuilder addresses = new StringBuilder();
      e.getValue().localities().forEach(l -> l.endpoints().forEach(ep ->
          addresses.append(addresses.length() == 0 ? "" : ", ").append(ep.address())));
      html.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(addresses.toString()))
          .append("</td></tr>");
    });
    return html.append("</table></body></html>").toString();
  }

  private static void section(StringBuilder html, String title, Map<String, ?> items) {
    html.append("<h2>").append(title).append(" (").append(items.size()).append(")</h2><ul>");
    items.keySet().stream().sorted().forEach(name -> html.append("<li>").append(esc(name)).append("</li>"));
    html.append("</ul>");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
