package dev.inboard.mesh.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Reads query parameters straight from a {@code :path} without building a map. */
final class QueryStrings {
  private QueryStrings() {}

  /**
   * The first value of {@code name} in the path's query string, percent-decoded; {@code ""} for a parameter
   * without {@code =}; null when absent.
   */
  static @Nullable String firstValue(String path, String name, boolean decode) {
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    int end = path.indexOf('#', q);
    if (end < 0) {
      end = path.length();
    }
    int i = q + 1;
    while (i <= end) {
      int amp = path.indexOf('&', i);
      if (amp < 0 || amp > end) {
        amp = end;
      }
      int eq = path.indexOf('=', i);
      int keyEnd = eq >= 0 && eq < amp ? eq : amp;
      String key = path.substring(i, keyEnd);
      if ((decode ? percentDecode(key) : key).equals(name)) {
        String raw = keyEnd == amp ? "" : path.substring(keyEnd + 1, amp);
        return decode ? percentDecode(raw) : raw;
      }
      i = amp + 1;
    }
    return null;
  }

  /** Decodes {@code %XX} escapes (UTF-8); malformed escapes are kept as they are. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }
}
