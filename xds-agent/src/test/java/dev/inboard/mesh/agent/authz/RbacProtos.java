package dev.inboard.mesh.agent.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reading expected filters (protojson, as JSON or YAML) and comparing filters by meaning. */
final class RbacProtos {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Message> TYPED_CONFIGS = List.of(
      io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDefaultInstance(),
      ExtAuthz.getDefaultInstance(),
      io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.getDefaultInstance(),
      UriTemplateMatchConfig.getDefaultInstance());
  static final JsonFormat.TypeRegistry REGISTRY = registry();

  private RbacProtos() {}

  private static JsonFormat.TypeRegistry registry() {
    JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
    TYPED_CONFIGS.forEach(m -> registry.add(m.getDescriptorForType()));
    return registry.build();
  }

  static String resource(String path) {
    try (InputStream in = RbacProtos.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A message from protojson written as YAML (a golden file) or JSON. */
  static <B extends Message.Builder> B fromYaml(String yaml, B builder) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      JsonFormat.parser().usingTypeRegistry(REGISTRY).merge(JSON.writeValueAsString(tree), builder);
      return builder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpFilter httpFilter(String yaml) {
    return fromYaml(yaml, HttpFilter.newBuilder()).build();
  }

  static Filter networkFilter(String yaml) {
    return fromYaml(yaml, Filter.newBuilder()).build();
  }

  /** Protojson with map keys sorted, so equal messages print the same whatever their map order. */
  static String json(Message message) {
    try {
      return JsonFormat.printer().usingTypeRegistry(REGISTRY).sortingMapKeys().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The typed config, unpacked so that map fields compare as maps rather than as serialized bytes. */
  static Message unpack(Any any) {
    for (Message type : TYPED_CONFIGS) {
      if (any.is(type.getClass())) {
        try {
          return any.unpack(type.getClass());
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalArgumentException("unexpected typed config " + any.getTypeUrl());
  }

  static void assertSameFilters(List<HttpFilter> actual, List<HttpFilter> expected) {
    assertThat(actual).as(() -> "filter names, got " + actual.stream().map(HttpFilter::getName).toList())
        .hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      HttpFilter a = actual.get(i);
      HttpFilter e = expected.get(i);
      assertSameMessage(a.toBuilder().clearTypedConfig().build(), e.toBuilder().clearTypedConfig().build(), a, e, i);
      assertSameMessage(unpack(a.getTypedConfig()), unpack(e.getTypedConfig()), a, e, i);
    }
  }

  static void assertSameNetworkFilters(List<Filter> actual, List<Filter> expected) {
    assertThat(actual).as(() -> "filter names, got " + actual.stream().map(Filter::getName).toList())
        .hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Filter a = actual.get(i);
      Filter e = expected.get(i);
      assertSameMessage(a.toBuilder().clearTypedConfig().build(), e.toBuilder().clearTypedConfig().build(), a, e, i);
      assertSameMessage(unpack(a.getTypedConfig()), unpack(e.getTypedConfig()), a, e, i);
    }
  }

  private static void assertSameMessage(Message actual, Message expected, Message actualFilter,
      Message expectedFilter, int index) {
    assertThat(actual)
        .as(() -> "filter[" + index + "]\n--- got\n" + json(actualFilter) + "\n--- want\n" + json(expectedFilter))
        .isEqualTo(expected);
  }
}
