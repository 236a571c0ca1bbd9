package io.torsion.protocols.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every RESP2 and RESP3 type, read whole, byte by byte and at every split; and every bad input. */
class RespParserTest {
  private record Reply(Object value, boolean push) {}

  private static List<Reply> parse(byte[] bytes, int... splits) throws RedisProtocolError {
    List<Reply> replies = new ArrayList<>();
    RespParser parser =
        new RespParser((value, push) -> replies.add(new Reply(value, push)), 1 << 20, 1000);
    int from = 0;
    for (int split : splits) {
      parser.feed(ByteBuffer.wrap(bytes, from, split - from));
      from = split;
    }
    parser.feed(ByteBuffer.wrap(bytes, from, bytes.length - from));
    return replies;
  }

  /** Parses {@code text} whole and at every split into two and byte by byte; all must agree. */
  private static List<Object> everyWay(String text) throws RedisProtocolError {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Object> whole = texts(parse(bytes));
    for (int split = 1; split < bytes.length; split++) {
      assertThat(texts(parse(bytes, split))).as("split at %d", split).isEqualTo(whole);
    }
    int[] each = new int[Math.max(0, bytes.length - 1)];
    for (int i = 0; i < each.length; i++) {
      each[i] = i + 1;
    }
    assertThat(texts(parse(bytes, each))).as("byte by byte").isEqualTo(whole);
    return whole;
  }

  private static List<Object> texts(List<Reply> replies) {
    List<Object> values = new ArrayList<>();
    for (Reply reply : replies) {
      Object text = Resp.text(reply.value());
      values.add(
          reply.value() instanceof RedisError error
              ? "error:" + error.kind() + ":" + error.getMessage()
              : reply.push() ? List.of("push", text) : text);
    }
    return values;
  }

  @Test
  void resp2TypesAndNulls() throws Exception {
    assertThat(
            everyWay(
                "+OK\r\n-WRONGTYPE Operation against a key\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n"
                    + "$-1\r\n*-1\r\n*0\r\n*3\r\n:1\r\n$3\r\ntwo\r\n*1\r\n+three\r\n"))
        .containsExactly(
            "OK",
            "error:WRONGTYPE:WRONGTYPE Operation against a key",
            42L,
            -7L,
            "hello",
            "",
            null,
            null,
            List.of(),
            List.of(1L, "two", List.of("three")));
  }

  @Test
  void aBulkStringHoldsAnyBytesCrLfIncluded() throws Exception {
    assertThat(everyWay("$8\r\na\r\nb\r\n\0c\r\n")).containsExactly("a\r\nb\r\n\0c");
    List<Reply> raw = parse("$3\r\n\u00ff\u00fe\u0000\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat((byte[]) raw.get(0).value()).containsExactly(0xff, 0xfe, 0);
  }

  @Test
  void resp3TypesPushesAndAttributes() throws Exception {
    List<Object> values =
        everyWay(
            "_\r\n,3.5\r\n,inf\r\n,-inf\r\n#t\r\n#f\r\n(3492890328409238509324850943850943825024385\r\n"
                + "=15\r\ntxt:Some string\r\n!21\r\nSYNTAX invalid syntax\r\n"
                + "%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n:2\r\n~2\r\n+a\r\n+b\r\n"
                + ">3\r\n+message\r\n+news\r\n$2\r\nhi\r\n"
                + "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*1\r\n:9\r\n");
    assertThat(values)
        .containsExactly(
            null,
            3.5,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            true,
            false,
            new BigInteger("3492890328409238509324850943850943825024385"),
            "Some string",
            "error:SYNTAX:SYNTAX invalid syntax",
            Map.of("first", 1L, "second", 2L),
            List.of("a", "b"),
            List.of("push", List.of("message", "news", "hi")),
            List.of(9L));
    assertThat(texts(parse(",nan\r\n".getBytes(StandardCharsets.US_ASCII))).get(0))
        .isEqualTo(Double.NaN);
  }

  @Test
  void anErrorInsideAnArrayIsItsElement() throws Exception {
    List<Reply> replies = parse("*2\r\n+OK\r\n-ERR no\r\n".getBytes(StandardCharsets.US_ASCII));
    List<?> items = (List<?>) replies.get(0).value();
    assertThat(items.get(0)).isEqualTo("OK");
    assertThat(items.get(1)).isInstanceOf(RedisError.class);
    assertThat(((RedisError) items.get(1)).kind()).isEqualTo("ERR");
    assertThat(RedisError.of("unknown thing").kind()).isEqualTo("ERR");
  }

  @Test
  void bytesThatAreNotRespAreAProtocolErrorAndTheStreamStaysBroken() {
    for (String bad :
        List.of(
            "?what\r\n",
            "\r\n",
            ":12x\r\n",
            "$abc\r\n",
            "$-2\r\n",
            "*-5\r\n",
            "$3\r\nabcXY",
            "+OK\rX",
            "#x\r\n",
            ",1.2.3\r\n",
            "(12a\r\n",
            "_x\r\n",
            "=2\r\nab\r\n",
            "*1\r\n>1\r\n+x\r\n")) {
      assertThatThrownBy(() -> parse(bad.getBytes(StandardCharsets.US_ASCII)))
          .as(bad)
          .isInstanceOf(RedisProtocolError.class);
    }
    List<Reply> none = new ArrayList<>();
    RespParser parser = new RespParser((v, p) -> none.add(new Reply(v, p)), 100, 100);
    assertThatThrownBy(
            () -> parser.feed(ByteBuffer.wrap("!x\r\n".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(RedisProtocolError.class);
    assertThatThrownBy(
            () -> parser.feed(ByteBuffer.wrap("+OK\r\n".getBytes(StandardCharsets.US_ASCII))))
        .hasMessageContaining("already broken");
    assertThat(none).isEmpty();
  }

  @Test
  void limitsOnBulkLengthElementCountLineLengthAndDepth() {
    RespParser small = new RespParser((v, p) -> {}, 10, 4);
    assertThatThrownBy(() -> small.feed(ascii("$11\r\n")))
        .hasMessageContaining("a bulk string of 11 bytes, over the limit of 10");
    assertThatThrownBy(() -> new RespParser((v, p) -> {}, 10, 4).feed(ascii("*5\r\n")))
        .hasMessageContaining("an aggregate of 5 elements, over the limit of 4");
    assertThatThrownBy(() -> new RespParser((v, p) -> {}, 10, 4).feed(ascii("%3\r\n")))
        .hasMessageContaining("an aggregate of 6 elements");
    assertThatThrownBy(
            () ->
                new RespParser((v, p) -> {}, 10, 4)
                    .feed(ascii("+" + "x".repeat(RespParser.MAX_LINE) + "\r\n")))
        .hasMessageContaining("longer than");
    assertThatThrownBy(
            () ->
                new RespParser((v, p) -> {}, 10, 4)
                    .feed(ascii("*1\r\n".repeat(RespParser.MAX_DEPTH + 1))))
        .hasMessageContaining("nested deeper than " + RespParser.MAX_DEPTH);
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void commandsAreArraysOfBulkStrings() {
    ByteBuffer encoded = Resp.command("SET", "k\u00e9", 12, new byte[] {0, '\r'});
    assertThat(StandardCharsets.ISO_8859_1.decode(encoded).toString())
        .isEqualTo("*4\r\n$3\r\nSET\r\n$3\r\nk\u00c3\u00a9\r\n$2\r\n12\r\n$2\r\n\0\r\r\n");
    assertThatThrownBy(() -> Resp.command()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resp.command("GET", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
