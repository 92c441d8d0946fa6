package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @ValueSource(strings = {"10.244.1.12", "0.0.0.0", "255.255.255.255", "::", "::1", "fd00:10:244::12",
      "2001:db8:0:0:0:0:2:1", "::ffff:10.0.0.1", "fe80::1%eth0", "1::"})
  void ipLiteral_valid_isAccepted(String address) {
    assertThat(IpLiterals.isIpLiteral(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reviews.default.svc.cluster.local", "", "10.0.0", "10.0.0.256", "10.0.0.1.2", "1:::2",
      "1::2::3", "2001:db8:0:0:0:0:2", "2001:db8:0:0:0:0:2:1:3", "12345::", ":1", "fe80::1%", "::ffff:10.0.0.300",
      "g::1", "١٠.0.0.1"})
  void ipLiteral_invalid_isRefused(String address) {
    assertThat(IpLiterals.isIpLiteral(address)).isFalse();
  }
}
