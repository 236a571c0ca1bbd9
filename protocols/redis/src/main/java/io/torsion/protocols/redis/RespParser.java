package io.torsion.protocols.redis;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads RESP2 and RESP3 replies from bytes that arrive in pieces of any size, without going back
 * over what it has read. What it hands on: simple strings and verbatim strings as {@code String},
 * bulk strings as {@code byte[]}, integers as {@code Long}, RESP3 doubles, booleans and big numbers
 * as {@code Double}, {@code Boolean} and {@link BigInteger}, nulls as null, arrays and sets as
 * {@code List}, maps as {@code Map}, error replies as a {@link RedisError} value; a push ({@code
 * >}) is marked as one; attributes ({@code |}) are read and dropped. Bounded: a line, a bulk string
 * and an aggregate's element count each have a limit, and nesting is at most {@value #MAX_DEPTH}
 * deep; past one, or on a byte that is not RESP, it throws {@link RedisProtocolError} and reads no
 * more.
 */
final class RespParser {
  static final int MAX_DEPTH = 64;
  static final int MAX_LINE = 64 * 1024;

  /** Receives each complete top-level reply. */
  interface Replies {
    void reply(Object value, boolean push);
  }

  private final Replies replies;
  private final long maxBulk;
  private final long maxElements;
  private final ArrayDeque<Aggregate> open = new ArrayDeque<>();
  private final byte[] lineBytes = new byte[MAX_LINE];
  private int lineLength;
  private boolean sawCr;
  private byte[] bulk; // the payload being read, or null while reading a line
  private int bulkRead;
  private char bulkType;
  private int bulkTrailer; // CRLF bytes after the payload still to come
  private boolean broken;

  RespParser(Replies replies, long maxBulk, long maxElements) {
    this.replies = replies;
    this.maxBulk = maxBulk;
    this.maxElements = maxElements;
  }

  /** Reads all of {@code data}; throws on bytes that are not RESP (and every call after that). */
  void feed(ByteBuffer data) throws RedisProtocolError {
    if (broken) {
      throw new RedisProtocolError("the reply stream is already broken");
    }
    try {
      while (data.hasRemaining()) {
        if (bulk != null) {
          readBulk(data);
        } else {
          readLine(data);
        }
      }
    } catch (RedisProtocolError e) {
      broken = true;
      throw e;
    }
  }

  private void readBulk(ByteBuffer data) throws RedisProtocolError {
    if (bulkRead < bulk.length) {
      int n = Math.min(bulk.length - bulkRead, data.remaining());
      data.get(bulk, bulkRead, n);
      bulkRead += n;
      return;
    }
    byte b = data.get();
    byte expected = bulkTrailer == 2 ? (byte) '\r' : (byte) '\n';
    if (b != expected) {
      throw new RedisProtocolError("a bulk string not followed by CRLF");
    }
    if (--bulkTrailer == 0) {
      byte[] done = bulk;
      bulk = null;
      switch (bulkType) {
        case '$' -> value(done);
        case '!' -> value(RedisError.of(new String(done, StandardCharsets.UTF_8)));
        default -> value(verbatim(done)); // '='
      }
    }
  }

  private static String verbatim(byte[] payload) throws RedisProtocolError {
    if (payload.length < 4 || payload[3] != ':') {
      throw new RedisProtocolError("a verbatim string without its three-letter format");
    }
    return new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8);
  }

  private void readLine(ByteBuffer data) throws RedisProtocolError {
    while (data.hasRemaining()) {
      byte b = data.get();
      if (sawCr) {
        if (b != '\n') {
          throw new RedisProtocolError("a CR not followed by LF");
        }
        sawCr = false;
        int length = lineLength;
        lineLength = 0;
        line(length);
        return;
      }
      if (b == '\r') {
        sawCr = true;
      } else if (lineLength == MAX_LINE) {
        throw new RedisProtocolError("a reply line longer than " + MAX_LINE + " bytes");
      } else {
        lineBytes[lineLength++] = b;
      }
    }
  }

  private void line(int length) throws RedisProtocolError {
    if (length == 0) {
      throw new RedisProtocolError("an empty reply line");
    }
    char type = (char) lineBytes[0];
    // Lengths, counts and integers are read from the bytes: no String for each bulk reply's header.
    String rest =
        switch (type) {
          case ':', '$', '!', '=', '*', '~', '>', '%', '|' -> null;
          default -> new String(lineBytes, 1, length - 1, StandardCharsets.UTF_8);
        };
    switch (type) {
      case '+' -> value(rest);
      case '-' -> value(RedisError.of(rest));
      case ':' -> value(integer(length));
      case '_' -> {
        if (!rest.isEmpty()) {
          throw new RedisProtocolError("a null with content: " + shown(rest));
        }
        value(null);
      }
      case ',' -> value(doubleValue(rest));
      case '#' -> {
        if (!rest.equals("t") && !rest.equals("f")) {
          throw new RedisProtocolError("a boolean that is neither t nor f: " + shown(rest));
        }
        value(rest.equals("t"));
      }
      case '(' -> {
        try {
          value(new BigInteger(rest));
        } catch (NumberFormatException e) {
          throw new RedisProtocolError("a big number that is not one: " + shown(rest));
        }
      }
      case '$', '!', '=' -> {
        long size = integer(length);
        if (size == -1 && type == '$') {
          value(null); // RESP2's null bulk string
        } else if (size < 0) {
          throw new RedisProtocolError("a negative length: " + size);
        } else if (size > maxBulk) {
          throw new RedisProtocolError(
              "a bulk string of " + size + " bytes, over the limit of " + maxBulk);
        } else {
          bulk = new byte[(int) size];
          bulkRead = 0;
          bulkType = type;
          bulkTrailer = 2;
        }
      }
      case '*', '~', '>', '%', '|' -> {
        long count = integer(length);
        if (count == -1 && type == '*') {
          value(null); // RESP2's null array
          return;
        }
        if (count < 0) {
          throw new RedisProtocolError("a negative element count: " + count);
        }
        long elements = type == '%' || type == '|' ? count * 2 : count;
        if (elements > maxElements) {
          throw new RedisProtocolError(
              "an aggregate of " + elements + " elements, over the limit of " + maxElements);
        }
        if (open.size() == MAX_DEPTH) {
          throw new RedisProtocolError("replies nested deeper than " + MAX_DEPTH);
        }
        if (type == '>' && !open.isEmpty()) {
          throw new RedisProtocolError("a push inside another reply");
        }
        Aggregate aggregate = new Aggregate(type, (int) elements);
        if (elements == 0) {
          close(aggregate);
        } else {
          open.push(aggregate);
        }
      }
      default -> throw new RedisProtocolError("a reply that starts with " + shown(type));
    }
  }

  private static String shown(char type) {
    return type >= 0x21 && type < 0x7F
        ? "'" + type + "'"
        : String.format(java.util.Locale.ROOT, "byte 0x%02x", (int) type & 0xFF);
  }

  private static String shown(String text) {
    return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
  }

  /** Reads the line's bytes after its type as a decimal integer, as {@code Long.parseLong}. */
  private long integer(int length) throws RedisProtocolError {
    int at = 1;
    boolean negative = length > 1 && lineBytes[1] == '-';
    if (negative || (length > 1 && lineBytes[1] == '+')) {
      at++;
    }
    long value = 0;
    boolean digits = at < length;
    for (; at < length && digits; at++) {
      int digit = lineBytes[at] - '0';
      if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
        digits = false; // not a digit, or past a long
      } else {
        value = value * 10 + digit;
      }
    }
    if (!digits) {
      return integer(new String(lineBytes, 1, length - 1, StandardCharsets.UTF_8));
    }
    return negative ? -value : value;
  }

  private static long integer(String text) throws RedisProtocolError {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new RedisProtocolError("an integer that is not one: " + shown(text));
    }
  }

  private static Double doubleValue(String text) throws RedisProtocolError {
    switch (text) {
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        try {
          return Double.valueOf(text);
        } catch (NumberFormatException e) {
          throw new RedisProtocolError("a double that is not one: " + shown(text));
        }
    }
  }

  /** A complete value: into the aggregate being read, or out as a reply. */
  private void value(Object value) throws RedisProtocolError {
    Aggregate top = open.peek();
    if (top == null) {
      replies.reply(value, false);
      return;
    }
    top.items.add(value);
    if (top.items.size() == top.expected) {
      open.pop();
      close(top);
    }
  }

  private void close(Aggregate done) throws RedisProtocolError {
    switch (done.type) {
      case '|' -> {
        // Attributes describe the reply that follows; dropped, as most clients do.
      }
      case '%' -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < done.items.size(); i += 2) {
          map.put(done.items.get(i), done.items.get(i + 1));
        }
        value(map);
      }
      case '>' -> replies.reply(done.items, true);
      default -> value(done.items);
    }
  }

  /** An array, set, map, push or attribute being read. */
  private static final class Aggregate {
    final char type;
    final int expected;
    final List<Object> items;

    Aggregate(char type, int expected) {
      this.type = type;
      this.expected = expected;
      this.items = new ArrayList<>(Math.min(expected, 1024));
    }
  }
}
