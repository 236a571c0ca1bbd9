package io.torsion.protocols.redis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes commands as RESP arrays of bulk strings, and turns replies' bulk strings into text. */
final class Resp {
  private Resp() {}

  /**
   * Returns {@code args} as one command: strings in UTF-8, {@code byte[]} as they are, numbers and
   * anything else by {@code toString()}.
   */
  static ByteBuffer command(Object... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("a command needs at least its name");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + args.length * 16);
    header(out, '*', args.length);
    for (Object arg : args) {
      if (arg == null) {
        throw new IllegalArgumentException("a command argument is null");
      }
      byte[] bytes =
          arg instanceof byte[] raw ? raw : arg.toString().getBytes(StandardCharsets.UTF_8);
      header(out, '$', bytes.length);
      out.writeBytes(bytes);
      out.write('\r');
      out.write('\n');
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  private static void header(ByteArrayOutputStream out, char type, int count) {
    out.write(type);
    out.writeBytes(Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
    out.write('\r');
    out.write('\n');
  }

  /** Returns {@code value} with every bulk string in it decoded as UTF-8. */
  static Object text(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof List<?> list) {
      List<Object> texts = new ArrayList<>(list.size());
      for (Object item : list) {
        texts.add(text(item));
      }
      return texts;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> texts = new LinkedHashMap<>();
      map.forEach((k, v) -> texts.put(text(k), text(v)));
      return texts;
    }
    return value;
  }
}
