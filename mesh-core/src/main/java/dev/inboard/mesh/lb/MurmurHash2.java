package dev.inboard.mesh.lb;

/**
 * The 64-bit MurmurHash2 variant Envoy offers for ring hash ({@code MURMUR_HASH_2}): the byte hash of the C++
 * standard library on 64-bit platforms, with Envoy's standard seed {@code 0xc70f6907}.
 */
final class MurmurHash2 {
  static final long STD_HASH_SEED = 0xc70f6907L;
  private static final long MUL = 0xc6a4a7935bd1e995L;

  private MurmurHash2() {}

  static long hash64(byte[] in) {
    int len = in.length;
    int aligned = len & ~7;
    long hash = STD_HASH_SEED ^ (len * MUL);
    for (int i = 0; i < aligned; i += 8) {
      long data = 0;
      for (int b = 7; b >= 0; b--) {
        data = (data << 8) | (in[i + b] & 0xFFL);
      }
      data = shiftMix(data * MUL) * MUL;
      hash ^= data;
      hash *= MUL;
    }
    if ((len & 7) != 0) {
      long data = 0;
      for (int b = len - 1; b >= aligned; b--) {
        data = (data << 8) | (in[b] & 0xFFL);
      }
      hash ^= data;
      hash *= MUL;
    }
    hash = shiftMix(hash) * MUL;
    return shiftMix(hash);
  }

  private static long shiftMix(long v) {
    return v ^ (v >>> 47);
  }
}
