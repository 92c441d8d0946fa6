package dev.inboard.bookinfo.ratings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.bookinfo.Apps;
import dev.inboard.bookinfo.Http;
import dev.inboard.bookinfo.ratings.grpc.GetRatingsRequest;
import dev.inboard.bookinfo.ratings.grpc.ProductRatings;
import dev.inboard.bookinfo.ratings.grpc.RatingsGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;

class RatingsApplicationTest {
  static final Apps apps = new Apps();
  static String base;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    ConfigurableApplicationContext ctx = apps.startAlone(RatingsApplication::run, "--bookinfo.ratings.grpc-port=0");
    base = Apps.base(ctx);
    int grpcPort = ctx.getBean(RatingsGrpcServer.class).port();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    apps.close();
  }

  @Test
  void health() {
    Http.Answer a = Http.get(base + "/health");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("{\"status\":\"Ratings is healthy\"}");
  }

  @ParameterizedTest
  @CsvSource({"/ratings/0,0", "/ratings/1,1", "/ratings/42abc,42", "/ratings/x/5,5", "/ratings/0x10,16",
      "'/ratings/8?debug=1',8"})
  void get_answersTheDefaultRatings_idReadAsParseIntReadsIt(String path, int id) {
    Http.Answer a = Http.get(base + path);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.body()).isEqualTo("{\"id\":" + id + ",\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}");
  }

  @ParameterizedTest
  @CsvSource({"/ratings/", "/ratings/abc", "/ratings/1/x"})
  void get_nonNumericId_is400WithTheOriginalMessage(String path) {
    Http.Answer a = Http.get(base + path);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).isEqualTo("{\"error\":\"please provide numeric product ID\"}");
  }

  @Test
  void post_storesTheRatingsInMemory_andGetAnswersThem() {
    Http.Answer posted = Http.post(base + "/ratings/77", "application/x-www-form-urlencoded",
        "{\"Reviewer1\":1,\"Reviewer2\":2}", Map.of());
    assertThat(posted.status()).isEqualTo(200);
    assertThat(posted.body()).isEqualTo("{\"id\":77,\"ratings\":{\"Reviewer1\":1,\"Reviewer2\":2}}");
    assertThat(Http.get(base + "/ratings/77").body()).isEqualTo(posted.body());
    assertThat(Http.get(base + "/ratings/78").body())
        .isEqualTo("{\"id\":78,\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}");

    ProductRatings overGrpc = RatingsGrpc.newBlockingStub(channel)
        .getRatings(GetRatingsRequest.newBuilder().setProductId(77).build());
    assertThat(overGrpc.getId()).isEqualTo(77);
    assertThat(overGrpc.getRatingsMap()).containsExactlyInAnyOrderEntriesOf(Map.of("Reviewer1", 1, "Reviewer2", 2));
  }

  @ParameterizedTest
  @CsvSource({"'{\"Reviewer1\":'", "not json", "''"})
  void post_badJson_is400(String body) {
    Http.Answer a = Http.post(base + "/ratings/5", "application/json", body, Map.of());
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).isEqualTo("{\"error\":\"please provide valid ratings JSON\"}");
  }

  @Test
  void post_nonNumericId_is400() {
    Http.Answer a = Http.post(base + "/ratings/x", "application/json", "{}", Map.of());
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).isEqualTo("{\"error\":\"please provide numeric product ID\"}");
  }

  @Test
  void grpc_getRatings_answersTheDefaultRatings() {
    ProductRatings r = RatingsGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .getRatings(GetRatingsRequest.newBuilder().setProductId(3).build());
    assertThat(r.getId()).isEqualTo(3);
    assertThat(r.getRatingsMap()).containsExactlyInAnyOrderEntriesOf(Map.of("Reviewer1", 5, "Reviewer2", 4));
  }

  @Test
  void grpc_unknownMethod_isUnimplemented() {
    var other = io.grpc.MethodDescriptor.<GetRatingsRequest, ProductRatings>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("bookinfo.ratings.v1.Ratings/SetRatings")
        .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(GetRatingsRequest.getDefaultInstance()))
        .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(ProductRatings.getDefaultInstance()))
        .build();
    assertThatThrownBy(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(channel, other,
        io.grpc.CallOptions.DEFAULT, GetRatingsRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }
}
