package dev.inboard.mesh.grpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field or parameter of a grpc-java stub type ({@code ReviewsGrpc.ReviewsBlockingStub}, {@code ReviewsStub},
 * {@code ReviewsFutureStub}) to receive a stub on a mesh channel to {@link #value()}. The stub is made by the
 * generated class's static {@code newBlockingStub}, {@code newStub} or {@code newFutureStub} factory (see
 * {@link MeshStubs#forType}); a dependency injection integration (the Spring Boot starter) does the injecting.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface MeshGrpcClient {
  /** The destination: {@code host:port} ({@code reviews:9080}) or {@code mesh:///host:port}. */
  String value();
}
