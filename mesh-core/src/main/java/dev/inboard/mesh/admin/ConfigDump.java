package dev.inboard.mesh.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsSyncState;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The current configuration and the xDS sync state as JSON, for {@code meshctl}, the admin page and the Spring
 * actuator. Each variant of a sealed type carries a {@code "type"} field with its name, so a route action reads
 * {@code {"type": "Forward", ...}}.
 */
public final class ConfigDump {
  private static final ObjectMapper MAPPER = createMapper();

  private ConfigDump() {}

  /** {@code {"snapshot": ..., "xds": ...}}, pretty-printed. */
  public static String toJson(MeshSnapshot snapshot, XdsSyncState sync) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("snapshot", snapshot);
    root.put("xds", sync);
    return write(root);
  }

  /** Any snapshot part or record as JSON, pretty-printed. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mapper the dump uses, for callers that embed the dump in their own JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private abstract static class Tagged {}

  private static ObjectMapper createMapper() {
    JsonMapper.Builder builder = JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .serializationInclusion(JsonInclude.Include.NON_ABSENT);
    for (Class<?> sealed : sealedTypesReachableFrom(MeshSnapshot.class, XdsSyncState.class)) {
      builder.addMixIn(sealed, Tagged.class);
    }
    return builder.build();
  }

  /** Every sealed interface of ours reachable through record components, so each gets a type tag. */
  static Set<Class<?>> sealedTypesReachableFrom(Class<?>... roots) {
    Set<Class<?>> seen = new HashSet<>();
    Set<Class<?>> sealed = new HashSet<>();
    Deque<Type> todo = new ArrayDeque<>(java.util.List.of(roots));
    while (!todo.isEmpty()) {
      Type type = todo.pop();
      if (type instanceof ParameterizedType p) {
        todo.addAll(java.util.List.of(p.getActualTypeArguments()));
        todo.push(p.getRawType());
        continue;
      }
      if (!(type instanceof Class<?> c) || !c.getName().startsWith("dev.inboard.") || !seen.add(c)) {
        continue;
      }
      if (c.isSealed()) {
        if (c.isInterface()) {
          sealed.add(c);
        }
        todo.addAll(java.util.List.of(c.getPermittedSubclasses()));
      }
      if (c.isRecord()) {
        for (RecordComponent component : c.getRecordComponents()) {
          todo.push(component.getGenericType());
        }
      }
    }
    return sealed;
  }
}
