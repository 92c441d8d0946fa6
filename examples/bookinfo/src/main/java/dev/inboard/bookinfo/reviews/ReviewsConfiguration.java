package dev.inboard.bookinfo.reviews;

import dev.inboard.bookinfo.ratings.grpc.RatingsGrpc;
import dev.inboard.mesh.grpc.MeshGrpcClient;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The reviews settings and the ratings client they ask for. */
@Configuration(proxyBeanMethods = false)
class ReviewsConfiguration {

  @Bean
  ReviewsSettings reviewsSettings(Environment env) {
    return ReviewsSettings.from(env);
  }

  /**
   * Ratings over HTTP on the mesh's OkHttp client (a plain one when the mesh is off), with the version's timeout
   * for the whole call.
   */
  @Bean
  @ConditionalOnProperty(name = "bookinfo.reviews.ratings-protocol", havingValue = "http", matchIfMissing = true)
  RatingsClient httpRatingsClient(@Qualifier("meshOkHttpClient") ObjectProvider<OkHttpClient> mesh,
      ReviewsSettings settings) {
    OkHttpClient base = mesh.getIfAvailable(OkHttpClient::new);
    return new HttpRatingsClient(base.newBuilder().callTimeout(settings.ratingsTimeout()).build());
  }

  /** Ratings over gRPC on a mesh channel to {@code ratings:9070}. */
  @Bean
  @ConditionalOnProperty(name = "bookinfo.reviews.ratings-protocol", havingValue = "grpc")
  RatingsClient grpcRatingsClient(@MeshGrpcClient("ratings:9070") RatingsGrpc.RatingsBlockingStub ratings,
      ReviewsSettings settings) {
    return new GrpcRatingsClient(ratings, settings.ratingsTimeout());
  }
}
