package dev.inboard.mesh.agent.cli;

import dev.inboard.mesh.agent.xdsgen.GrpcXdsGenerator;
import dev.inboard.mesh.agent.xdsgen.MeshSettings;
import dev.inboard.mesh.agent.xdsgen.SidecarXdsGenerator;
import dev.inboard.mesh.bootstrap.ConfigShape;

import dev.inboard.mesh.agent.registry.ServiceRegistry;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.RegistryBuilder;
import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import dev.inboard.mesh.agent.xdsgen.ProxyXdsGenerator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@code meshctl serve} builds its control plane from: the registry builder and the xDS generator, plus a
 * hook told of the started control plane (embedding and tests use it).
 */
public record ServerComponents(
    RegistryBuilder registryBuilder, ProxyXdsGenerator generator, Consumer<LocalControlPlane> onStarted) {

  public ServerComponents {
    Objects.requireNonNull(registryBuilder, "registryBuilder");
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(onStarted, "onStarted");
  }

  public ServerComponents(RegistryBuilder registryBuilder, ProxyXdsGenerator generator) {
    this(registryBuilder, generator, cp -> { });
  }

  /** The components the {@code meshctl} executable serves with. */
  public static ServerComponents standard() {
    ProxyXdsGenerator sidecar = new SidecarXdsGenerator();
    ProxyXdsGenerator grpc = new GrpcXdsGenerator();
    return new ServerComponents(
        (config, autoRegistered) ->
            dev.inboard.mesh.agent.registry.RegistryBuilder.build(config, autoRegistered, MeshSettings.DEFAULT),
        (proxy, push) -> proxy.shape() == ConfigShape.GRPC ? grpc.generate(proxy, push) : sidecar.generate(proxy, push));
  }

  public ServerComponents withOnStarted(Consumer<LocalControlPlane> hook) {
    return new ServerComponents(registryBuilder, generator, hook);
  }
}
