package dev.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class GrpcStatusesTest {
  @Test
  void failure_everyFlag_isUnavailableWithFlagAndReason() {
    Status nr = GrpcStatuses.of(new Failure(ResponseFlag.NR, 404, "no route for ratings:9080"));
    Status uh = GrpcStatuses.of(new Failure(ResponseFlag.UH, 503, "no healthy upstream"));

    assertThat(nr.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(nr.getDescription()).isEqualTo("NR: no route for ratings:9080");
    assertThat(uh.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(uh.getDescription()).isEqualTo("UH: no healthy upstream");
  }

  @Test
  void fromHttp_followsEnvoysMapping() {
    assertThat(GrpcStatuses.fromHttp(400)).isEqualTo(Status.Code.INTERNAL);
    assertThat(GrpcStatuses.fromHttp(403)).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(GrpcStatuses.fromHttp(404)).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(GrpcStatuses.fromHttp(503)).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(GrpcStatuses.fromHttp(418)).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void toHttp_grpcErrors_countAsTheHttpStatusOutlierDetectionSees() {
    assertThat(GrpcStatuses.toHttp(Status.Code.OK)).isEqualTo(200);
    assertThat(GrpcStatuses.toHttp(Status.Code.UNAVAILABLE)).isEqualTo(503);
    assertThat(GrpcStatuses.toHttp(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(GrpcStatuses.toHttp(Status.Code.INTERNAL)).isEqualTo(500);
    assertThat(GrpcStatuses.toHttp(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
  }

  @Test
  void grpcTimeout_usesTheFinestUnitWithinEightDigits() {
    assertThat(MetadataHeaders.grpcTimeout(5_000_000L)).isEqualTo("5000000n");
    assertThat(MetadataHeaders.grpcTimeout(2_000_000_000L)).isEqualTo("2000000u");
    assertThat(MetadataHeaders.grpcTimeout(200_000_000_000L)).isEqualTo("200000m");
  }
}
