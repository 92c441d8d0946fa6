package dev.inboard.mesh.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Medians of per-round figures and of paired per-round ratios, each with its min and max. */
final class Summary {
  private Summary() {}

  /** A median with the spread it came from. */
  record Spread(double median, double min, double max, int n) {
    static Spread of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    String text(String format) {
      return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median, min, max);
    }
  }

  static List<RoundResult> of(List<RoundResult> results, String variant) {
    return results.stream().filter(r -> r.variant().equals(variant)).toList();
  }

  /** The figure of {@code variant} in every round. */
  static Spread figure(List<RoundResult> results, String variant, ToDoubleFunction<RoundResult> figure) {
    return Spread.of(of(results, variant).stream().mapToDouble(figure).toArray());
  }

  /** {@code figure(candidate) / figure(baseline)} round by round (paired within a round). */
  static Spread ratio(List<RoundResult> results, String candidate, String baseline,
      ToDoubleFunction<RoundResult> figure) {
    List<RoundResult> a = of(results, candidate);
    List<RoundResult> b = of(results, baseline);
    double[] ratios = new double[Math.min(a.size(), b.size())];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = figure.applyAsDouble(a.get(i)) / figure.applyAsDouble(b.get(i));
    }
    return Spread.of(ratios);
  }

  /** Per-variant lines (median (min–max) over rounds). */
  static List<String> variants(List<RoundResult> results, List<String> names, boolean throughput) {
    List<String> lines = new ArrayList<>();
    for (String name : names) {
      lines.add(String.format(Locale.ROOT, "  %-13s p50 %s µs  p99 %s µs  %s  cpu %s µs/call  alloc %s B/call",
          name, figure(results, name, RoundResult::p50Micros).text("%.1f"),
          figure(results, name, RoundResult::p99Micros).text("%.1f"),
          throughput ? "qps " + figure(results, name, RoundResult::qps).text("%.0f") : "",
          figure(results, name, RoundResult::cpuMicrosPerCall).text("%.1f"),
          figure(results, name, RoundResult::bytesPerCall).text("%.0f")));
    }
    return lines;
  }

  /** Ratio lines of {@code candidate} over {@code baseline}. */
  static List<String> ratios(List<RoundResult> results, String candidate, String baseline, boolean throughput) {
    List<String> lines = new ArrayList<>();
    String pair = candidate + " / " + baseline;
    if (throughput) {
      lines.add(String.format(Locale.ROOT, "  %-27s qps %s", pair,
          ratio(results, candidate, baseline, RoundResult::qps).text("%.3f")));
    }
    lines.add(String.format(Locale.ROOT, "  %-27s p50 %s  p99 %s  cpu/call %s  alloc/call %s", pair,
        ratio(results, candidate, baseline, RoundResult::p50Micros).text("%.3f"),
        ratio(results, candidate, baseline, RoundResult::p99Micros).text("%.3f"),
        ratio(results, candidate, baseline, RoundResult::cpuMicrosPerCall).text("%.3f"),
        ratio(results, candidate, baseline, RoundResult::bytesPerCall).text("%.3f")));
    return lines;
  }
}
