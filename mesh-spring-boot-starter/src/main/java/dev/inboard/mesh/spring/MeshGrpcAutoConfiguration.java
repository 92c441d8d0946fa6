package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.grpc.MeshChannel;
import dev.inboard.mesh.grpc.MeshGrpcClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With mesh-grpc on the classpath: grpc-java stubs on mesh channels for {@link MeshGrpcClient} fields. The
 * {@link Mesh} is looked up when the first annotated bean is created, not when the post-processor is.
 */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnClass(MeshChannel.class)
@ConditionalOnProperty(prefix = "mesh", name = "enabled", havingValue = "true", matchIfMissing = true)
public class MeshGrpcAutoConfiguration {

  @Bean
  static MeshGrpcClientPostProcessor meshGrpcClientPostProcessor(ObjectProvider<Mesh> mesh) {
    return new MeshGrpcClientPostProcessor(mesh);
  }
}
