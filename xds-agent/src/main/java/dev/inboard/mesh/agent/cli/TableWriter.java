package dev.inboard.mesh.agent.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns aligned like {@code istioctl}'s tables: upper-case headers, three spaces between columns. */
final class TableWriter {
  private static final String GAP = "   ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  TableWriter(String... headers) {
    this.headers = List.of(headers);
  }

  TableWriter row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("a row of " + headers + " needs " + headers.size() + " cells, got "
          + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, headers, widths);
    rows.forEach(row -> line(out, row, widths));
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(GAP);
      }
      b.append(cells.get(i));
      if (i < cells.size() - 1) {
        b.append(" ".repeat(widths[i] - cells.get(i).length()));
      }
    }
    out.println(b.toString().stripTrailing());
  }
}
