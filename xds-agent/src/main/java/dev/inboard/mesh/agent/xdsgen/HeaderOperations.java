package dev.inboard.mesh.agent.xdsgen;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.fabric8.istio.api.api.networking.v1alpha3.Headers;
import io.fabric8.istio.api.api.networking.v1alpha3.HeadersHeaderOperations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A VirtualService {@code headers} block as Envoy header mutations: {@code set} overwrites, {@code add} appends
 * (each group sorted by name, {@code set} first); pseudo-headers and {@code host} are never mutated, but a request
 * {@code :authority}/{@code host} value becomes the route's host rewrite ({@code set} wins over {@code add}).
 */
record HeaderOperations(
    List<HeaderValueOption> requestHeadersToAdd,
    List<HeaderValueOption> responseHeadersToAdd,
    List<String> requestHeadersToRemove,
    List<String> responseHeadersToRemove,
    Optional<String> authority) {

  static final HeaderOperations NONE = new HeaderOperations(List.of(), List.of(), List.of(), List.of(), Optional.empty());

  HeaderOperations {
    requestHeadersToAdd = List.copyOf(requestHeadersToAdd);
    responseHeadersToAdd = List.copyOf(responseHeadersToAdd);
    requestHeadersToRemove = List.copyOf(requestHeadersToRemove);
    responseHeadersToRemove = List.copyOf(responseHeadersToRemove);
  }

  static HeaderOperations of(Headers headers) {
    HeadersHeaderOperations request = headers.getRequest();
    HeadersHeaderOperations response = headers.getResponse();
    List<HeaderValueOption> requestAdd = new ArrayList<>(options(set(request), false));
    requestAdd.addAll(options(add(request), true));
    List<HeaderValueOption> responseAdd = new ArrayList<>(options(set(response), false));
    responseAdd.addAll(options(add(response), true));
    Optional<String> authority = authority(set(request)).or(() -> authority(add(request)));
    return new HeaderOperations(requestAdd, responseAdd, removable(request), removable(response), authority);
  }

  private static Map<String, String> set(@Nullable HeadersHeaderOperations ops) {
    return ops == null || ops.getSet() == null ? Map.of() : ops.getSet();
  }

  private static Map<String, String> add(@Nullable HeadersHeaderOperations ops) {
    return ops == null || ops.getAdd() == null ? Map.of() : ops.getAdd();
  }

  private static List<String> removable(@Nullable HeadersHeaderOperations ops) {
    if (ops == null || ops.getRemove() == null) {
      return List.of();
    }
    return ops.getRemove().stream().filter(name -> !isInternal(name)).toList();
  }

  private static List<HeaderValueOption> options(Map<String, String> headers, boolean append) {
    return headers.entrySet().stream()
        .filter(e -> !isInternal(e.getKey()))
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .map(e -> HeaderValueOption.newBuilder()
            .setHeader(HeaderValue.newBuilder().setKey(e.getKey()).setValue(e.getValue()))
            .setAppendAction(append
                ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                : HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
            .build())
        .toList();
  }

  /** The last authority value in name order, when several spellings are given. */
  private static Optional<String> authority(Map<String, String> headers) {
    return headers.entrySet().stream()
        .filter(e -> isAuthority(e.getKey()))
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .reduce((first, second) -> second)
        .map(Map.Entry::getValue);
  }

  private static boolean isInternal(String name) {
    return name.startsWith(":") || name.equalsIgnoreCase("host");
  }

  private static boolean isAuthority(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(":authority") || lower.equals("host");
  }
}
