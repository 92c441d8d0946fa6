package dev.inboard.mesh.grpc;

import dev.inboard.mesh.Mesh;
import io.grpc.Channel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * grpc-java stubs on mesh channels.
 *
 * <pre>{@code
 * ReviewsGrpc.ReviewsBlockingStub reviews = MeshStubs.create(mesh, "reviews:9080", ReviewsGrpc::newBlockingStub);
 * }</pre>
 */
public final class MeshStubs {
  private static final Set<String> FACTORIES = Set.of("newBlockingStub", "newStub", "newFutureStub");

  private MeshStubs() {}

  /**
   * A stub on a new {@link MeshChannel} to {@code target}. The channel lives as long as the stub's users need it;
   * to shut it down, keep the channel from {@link MeshChannels#forTarget(Mesh, String)} and call {@code factory}
   * on it yourself.
   */
  public static <S> S create(Mesh mesh, String target, Function<? super Channel, S> factory) {
    MeshChannel channel = MeshChannels.forTarget(mesh, target);
    try {
      return Objects.requireNonNull(factory.apply(channel), "the stub factory returned null");
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  /**
   * A stub of {@code stubType} on {@code channel}, made by the static {@code newBlockingStub}, {@code newStub} or
   * {@code newFutureStub(Channel)} method that returns {@code stubType}, declared by the stub class or the class
   * enclosing it (the generated {@code XyzGrpc}).
   *
   * @throws IllegalArgumentException when {@code stubType} has no such factory
   */
  public static <S> S forType(Channel channel, Class<S> stubType) {
    return factory(stubType).apply(channel);
  }

  /**
   * The factory {@link #forType} uses for {@code stubType}, found now, so a type that is no stub is refused before
   * any channel exists.
   *
   * @throws IllegalArgumentException when {@code stubType} has no such factory
   */
  public static <S> Function<Channel, S> factory(Class<S> stubType) {
    Method factory = factoryOf(stubType);
    factory.trySetAccessible(); // a public factory of a class that is not public (a test's, a nested one)
    return channel -> {
      try {
        return stubType.cast(factory.invoke(null, channel));
      } catch (IllegalAccessException e) {
        throw new IllegalArgumentException("stub factory " + factory + " is not accessible", e);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException("stub factory " + factory + " failed", cause);
      }
    };
  }

  /** The static factory making {@code stubType} from a channel. */
  static Method factoryOf(Class<?> stubType) {
    List<Class<?>> owners = new ArrayList<>(2);
    owners.add(stubType);
    if (stubType.getEnclosingClass() != null) {
      owners.add(stubType.getEnclosingClass());
    }
    for (Class<?> owner : owners) {
      for (Method m : owner.getMethods()) {
        if (FACTORIES.contains(m.getName()) && Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() == 1 && m.getParameterTypes()[0] == Channel.class
            && stubType.isAssignableFrom(m.getReturnType())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(stubType.getName() + " is not a grpc-java stub type: neither it nor "
        + "its enclosing class has a static newBlockingStub, newStub or newFutureStub(io.grpc.Channel) returning it");
  }
}
