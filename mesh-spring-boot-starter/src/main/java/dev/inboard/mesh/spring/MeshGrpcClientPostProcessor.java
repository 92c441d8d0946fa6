package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.grpc.MeshChannel;
import dev.inboard.mesh.grpc.MeshChannels;
import dev.inboard.mesh.grpc.MeshGrpcClient;
import dev.inboard.mesh.grpc.MeshStubs;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Sets every {@link MeshGrpcClient}-annotated field of a bean to a stub of the field's type on a mesh channel to
 * the annotation's target. Beans with the same target share one channel; the channels shut down with the context.
 */
final class MeshGrpcClientPostProcessor implements BeanPostProcessor, DisposableBean {
  private final ObjectProvider<Mesh> mesh;
  private final Map<String, MeshChannel> channels = new ConcurrentHashMap<>();

  MeshGrpcClientPostProcessor(ObjectProvider<Mesh> mesh) {
    this.mesh = mesh;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    ReflectionUtils.doWithFields(bean.getClass(), field -> inject(bean, beanName, field),
        field -> field.isAnnotationPresent(MeshGrpcClient.class));
    return bean;
  }

  private void inject(Object bean, String beanName, Field field) {
    String target = field.getAnnotation(MeshGrpcClient.class).value();
    if (Modifier.isStatic(field.getModifiers())) {
      throw new BeanCreationException(beanName, "@MeshGrpcClient is not supported on static field " + field);
    }
    Object stub;
    try {
      stub = MeshStubs.forType(channel(target), field.getType());
    } catch (RuntimeException e) {
      throw new BeanCreationException(beanName,
          "@MeshGrpcClient(\"" + target + "\") on " + field + ": " + e.getMessage(), e);
    }
    ReflectionUtils.makeAccessible(field);
    ReflectionUtils.setField(field, bean, stub);
  }

  /** The shared channel to {@code target}. */
  MeshChannel channel(String target) {
    return channels.computeIfAbsent(target, t -> MeshChannels.forTarget(mesh.getObject(), t));
  }

  @Override
  public void destroy() throws InterruptedException {
    channels.values().forEach(MeshChannel::shutdown);
    for (MeshChannel channel : channels.values()) {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
    channels.clear();
  }
}
