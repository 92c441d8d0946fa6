package dev.inboard.mesh.bootstrap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a Kubernetes downward-API map file ({@code metadata.labels}): one {@code key="value"} line per entry, the
 * value quoted the way Go's {@code %q} writes it (so a multi-line value stays on one line). Lines without {@code =}
 * are skipped, as istio-agent does.
 */
final class DownwardApiLabels {
  private DownwardApiLabels() {}

  /**
   * The labels in a file's content.
   *
   * @param source names the file in error messages
   * @throws BootstrapException naming the line when a value is not a valid quoted string
   */
  static Map<String, String> parse(String content, String source) {
    Map<String, String> labels = new LinkedHashMap<>();
    String[] lines = content.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String quoted = line.substring(eq + 1);
      try {
        labels.put(key, unquote(quoted));
      } catch (IllegalArgumentException e) {
        throw new BootstrapException(
            source + ": line " + (i + 1) + ": value of " + key + " " + e.getMessage()
                + "; the file must hold key=\"value\" lines as the downward API writes them");
      }
    }
    return labels;
  }

  /** Undoes Go's {@code strconv.Quote}: a double-quoted string with Go escapes. */
  static String unquote(String quoted) {
    if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
      throw new IllegalArgumentException("is not a double-quoted string: " + quoted);
    }
    String body = quoted.substring(1, quoted.length() - 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '"') {
        throw new IllegalArgumentException("has an unescaped '\"': " + quoted);
      }
      if (c != '\\') {
        int cp = body.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
        continue;
      }
      if (i + 1 >= body.length()) {
        throw new IllegalArgumentException("ends in a lone backslash: " + quoted);
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> out.write(0x07);
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'v' -> out.write(0x0b);
        case '\\' -> out.write('\\');
        case '"' -> out.write('"');
        case 'x' -> {
          out.write(hex(body, i, 2, quoted));
          i += 2;
        }
        case 'u' -> {
          out.writeBytes(new String(Character.toChars(hex(body, i, 4, quoted))).getBytes(StandardCharsets.UTF_8));
          i += 4;
        }
        case 'U' -> {
          int cp = hex(body, i, 8, quoted);
          if (!Character.isValidCodePoint(cp)) {
            throw new IllegalArgumentException("has an invalid code point \\U" + body.substring(i, i + 8));
          }
          out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
          i += 8;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int value = octal(body, i - 1, quoted);
            out.write(value);
            i += 2;
          } else {
            throw new IllegalArgumentException("has an unknown escape \\" + e + ": " + quoted);
          }
        }
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String body, int start, int digits, String quoted) {
    if (start + digits > body.length()) {
      throw new IllegalArgumentException("has a truncated escape: " + quoted);
    }
    try {
      return Integer.parseInt(body.substring(start, start + digits), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("has a bad hex escape: " + quoted, e);
    }
  }

  private static int octal(String body, int start, String quoted) {
    if (start + 3 > body.length()) {
      throw new IllegalArgumentException("has a truncated escape: " + quoted);
    }
    try {
      int value = Integer.parseInt(body.substring(start, start + 3), 8);
      if (value > 255) {
        throw new IllegalArgumentException("has an octal escape above \\377: " + quoted);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("has a bad octal escape: " + quoted, e);
    }
  }
}
