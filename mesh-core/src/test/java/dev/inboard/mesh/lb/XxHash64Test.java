package dev.inboard.mesh.lb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XxHash64Test {

  @Test
  void hash_referenceVectors_matchTheXxHashReference() {
    assertThat(XxHash64.hash("", 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(XxHash64.hash("abc", 0)).isEqualTo(0x44BC2CF5AD770999L);
    // 39 bytes: the 32-byte stripe loop, an 8-byte lane, a 4-byte lane and single bytes.
    assertThat(XxHash64.hash("Nobody inspects the spammish repetition", 0)).isEqualTo(0xFBCEA83C8A378BF1L);
    assertThat(XxHash64.hash("xxhash", 20141025)).isEqualTo(0xB559B98D844E0635L);
  }

  @Test
  void murmurHash2_sameInput_sameValueAndInputsDiffer() {
    long a = MurmurHash2.hash64("10.0.0.1:9080_0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long b = MurmurHash2.hash64("10.0.0.1:9080_1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(a).isEqualTo(MurmurHash2.hash64("10.0.0.1:9080_0".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isNotEqualTo(b);
  }
}
