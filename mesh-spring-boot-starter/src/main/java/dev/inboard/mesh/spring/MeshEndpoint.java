package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.admin.ConfigDump;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code mesh} actuator endpoint: the configuration in use and the xDS sync state, as
 * {@link ConfigDump#toJson} writes them ({@code {"snapshot": ..., "xds": ...}}).
 */
@Endpoint(id = "mesh")
public class MeshEndpoint {
  private final Mesh mesh;

  public MeshEndpoint(Mesh mesh) {
    this.mesh = mesh;
  }

  /** The dump as plain maps, lists and values, so any JSON writer renders it as the dump's own JSON. */
  @ReadOperation
  @SuppressWarnings("unchecked")
  public Map<String, Object> configDump() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("snapshot", mesh.xds().snapshot());
    root.put("xds", mesh.xds().syncState());
    return ConfigDump.mapper().convertValue(root, LinkedHashMap.class);
  }
}
