package dev.inboard.bookinfo.reviews;

import dev.inboard.bookinfo.ratings.grpc.GetRatingsRequest;
import dev.inboard.bookinfo.ratings.grpc.RatingsGrpc;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bookinfo.ratings.v1.Ratings/GetRatings} on {@code ratings:9070} through the mesh, with the version's
 * timeout as the deadline and the propagated headers as metadata.
 */
final class GrpcRatingsClient implements RatingsClient {
  private static final Logger log = LoggerFactory.getLogger(GrpcRatingsClient.class);

  private final RatingsGrpc.RatingsBlockingStub stub;
  private final Duration timeout;

  GrpcRatingsClient(RatingsGrpc.RatingsBlockingStub stub, Duration timeout) {
    this.stub = stub;
    this.timeout = timeout;
  }

  @Override
  public Stars fetch(int productId, Map<String, String> headers) {
    try {
      var answer = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata(headers)))
          .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
          .getRatings(GetRatingsRequest.newBuilder().setProductId(productId).build());
      return Stars.of(answer.getRatingsMap());
    } catch (StatusRuntimeException e) {
      log.info("ratings unavailable over gRPC for product {}: {}", productId, e.getStatus());
      return Stars.UNAVAILABLE;
    }
  }

  private static Metadata metadata(Map<String, String> headers) {
    Metadata md = new Metadata();
    headers.forEach((name, value) -> {
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        try {
          md.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException notBase64) {
          log.debug("{} is not base64, not propagated", name);
        }
      } else if (!name.equals("user-agent")) {
        md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
      }
    });
    return md;
  }
}
