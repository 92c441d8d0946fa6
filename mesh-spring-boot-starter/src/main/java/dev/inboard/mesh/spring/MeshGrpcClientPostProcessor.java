package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.grpc.MeshChannel;
import dev.inboard.mesh.grpc.MeshChannels;
import dev.inboard.mesh.grpc.MeshGrpcClient;
import dev.inboard.mesh.grpc.MeshStubs;
import io.grpc.Channel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.util.ReflectionUtils;

/**
 * grpc-java stubs on mesh channels where {@link MeshGrpcClient} asks for them: annotated fields are set before the
 * bean's initialization; annotated constructor and method parameters are resolved during autowiring (through
 * {@link MeshGrpcClientResolver}). Uses of the same target share one channel; the channels shut down with the
 * context.
 */
final class MeshGrpcClientPostProcessor implements BeanPostProcessor, BeanFactoryAware, DisposableBean {
  private final ObjectProvider<Mesh> mesh;
  private final Map<String, MeshChannel> channels = new ConcurrentHashMap<>();

  MeshGrpcClientPostProcessor(ObjectProvider<Mesh> mesh) {
    this.mesh = mesh;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (beanFactory instanceof DefaultListableBeanFactory factory) {
      factory.setAutowireCandidateResolver(
          new MeshGrpcClientResolver(factory.getAutowireCandidateResolver(), this::stub));
    }
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    ReflectionUtils.doWithFields(bean.getClass(), field -> inject(bean, beanName, field),
        field -> field.isAnnotationPresent(MeshGrpcClient.class));
    return bean;
  }

  private void inject(Object bean, String beanName, Field field) {
    MeshGrpcClient client = field.getAnnotation(MeshGrpcClient.class);
    if (Modifier.isStatic(field.getModifiers())) {
      throw new BeanCreationException(beanName, "@MeshGrpcClient is not supported on static field " + field);
    }
    Object stub;
    try {
      stub = stub(client, field.getType());
    } catch (RuntimeException e) {
      throw new BeanCreationException(beanName,
          "@MeshGrpcClient(\"" + client.value() + "\") on " + field + ": " + e.getMessage(), e);
    }
    ReflectionUtils.makeAccessible(field);
    ReflectionUtils.setField(field, bean, stub);
  }

  /** A stub of {@code type} on the shared channel to the annotation's target. */
  Object stub(MeshGrpcClient client, Class<?> type) {
    Function<Channel, ?> factory = MeshStubs.factory(type);
    return factory.apply(channel(client.value()));
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
