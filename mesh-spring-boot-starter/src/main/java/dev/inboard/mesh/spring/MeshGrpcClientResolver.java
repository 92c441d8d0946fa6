package dev.inboard.mesh.spring;

import dev.inboard.mesh.grpc.MeshGrpcClient;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;

/**
 * Answers autowired dependencies annotated {@link MeshGrpcClient} (constructor and method parameters) with a stub;
 * everything else goes to the resolver the context had.
 */
final class MeshGrpcClientResolver implements AutowireCandidateResolver {
  private final AutowireCandidateResolver delegate;
  private final BiFunction<MeshGrpcClient, Class<?>, Object> stubs;

  MeshGrpcClientResolver(AutowireCandidateResolver delegate, BiFunction<MeshGrpcClient, Class<?>, Object> stubs) {
    this.delegate = delegate;
    this.stubs = stubs;
  }

  @Override
  public @Nullable Object getSuggestedValue(DependencyDescriptor descriptor) {
    MeshGrpcClient client = descriptor.getAnnotation(MeshGrpcClient.class);
    if (client != null) {
      return stubs.apply(client, descriptor.getDependencyType());
    }
    return delegate.getSuggestedValue(descriptor);
  }

  @Override
  public boolean isAutowireCandidate(BeanDefinitionHolder bdHolder, DependencyDescriptor descriptor) {
    return delegate.isAutowireCandidate(bdHolder, descriptor);
  }

  @Override
  public boolean isRequired(DependencyDescriptor descriptor) {
    return delegate.isRequired(descriptor);
  }

  @Override
  public boolean hasQualifier(DependencyDescriptor descriptor) {
    return delegate.hasQualifier(descriptor);
  }

  @Override
  public @Nullable String getSuggestedName(DependencyDescriptor descriptor) {
    return delegate.getSuggestedName(descriptor);
  }

  @Override
  public @Nullable Object getLazyResolutionProxyIfNecessary(DependencyDescriptor descriptor,
      @Nullable String beanName) {
    return delegate.getLazyResolutionProxyIfNecessary(descriptor, beanName);
  }

  @Override
  public @Nullable Class<?> getLazyResolutionProxyClass(DependencyDescriptor descriptor, @Nullable String beanName) {
    return delegate.getLazyResolutionProxyClass(descriptor, beanName);
  }

  @Override
  public AutowireCandidateResolver cloneIfNecessary() {
    return new MeshGrpcClientResolver(delegate.cloneIfNecessary(), stubs);
  }
}
