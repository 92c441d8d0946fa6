package dev.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MeshTargetTest {
  @Test
  void parse_meshScheme_keepsTheAuthorityAndPort() {
    assertThat(MeshTarget.parse("mesh:///reviews.default.svc.cluster.local:9080"))
        .isEqualTo(new MeshTarget("reviews.default.svc.cluster.local:9080", 9080));
  }

  @Test
  void parse_shortForms_keepTheAuthorityAsGiven() {
    assertThat(MeshTarget.parse("reviews:9080")).isEqualTo(new MeshTarget("reviews:9080", 9080));
    assertThat(MeshTarget.parse("reviews.default:9080")).isEqualTo(new MeshTarget("reviews.default:9080", 9080));
  }

  @Test
  void parse_withoutPort_isRejected() {
    assertThatThrownBy(() -> MeshTarget.parse("mesh:///reviews"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target must name a host and a port (host:port), was mesh:///reviews");
  }

  @Test
  void parse_otherScheme_isRejected() {
    assertThatThrownBy(() -> MeshTarget.parse("dns:///reviews:9080"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target must be mesh:///host:port or host:port, was dns:///reviews:9080");
  }

  @Test
  void parse_portOutOfRange_isRejected() {
    assertThatThrownBy(() -> MeshTarget.parse("reviews:70000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target port must be in [1, 65535], was reviews:70000");
  }
}
