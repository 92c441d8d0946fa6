package dev.inboard.bookinfo.productpage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/** The {@code request_result} counter of productpage's {@code /metrics}: upstream results by app and status. */
@Component
class RequestCounter {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void count(String destinationApp, int responseCode) {
    counts.computeIfAbsent("destination_app=\"" + destinationApp + "\",response_code=\"" + responseCode + "\"",
        k -> new LongAdder()).increment();
  }

  /** The counter in the Prometheus text exposition format. */
  String prometheusText() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP request_result_total Results of productpage's requests to its upstreams\n");
    out.append("# TYPE request_result_total counter\n");
    new TreeMap<>(counts).forEach((labels, n) ->
        out.append("request_result_total{").append(labels).append("} ").append(n.sum()).append(".0\n"));
    return out.toString();
  }
}
