package io.torsion.protocols.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of a path segment as UTF-8 (RFC 3986 2.1). Unlike form decoding, {@code +} stays
 * a plus; a {@code %} not followed by two hex digits stays as it is.
 */
final class PercentDecoding {
  private PercentDecoding() {}

  /** Returns {@code text[from, to)} decoded; the substring itself when it holds no {@code %}. */
  static String decode(String text, int from, int to) {
    int percent = text.indexOf('%', from);
    if (percent < 0 || percent >= to) {
      return text.substring(from, to);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      int high = c == '%' ? hex(text, i + 1, to) : -1;
      int low = high < 0 ? -1 : hex(text, i + 2, to);
      if (high >= 0 && low >= 0) {
        out.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(encoded, 0, encoded.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String text, int at, int to) {
    if (at >= to) {
      return -1;
    }
    char c = text.charAt(at);
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }
}
