package io.torsion.protocols.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Protocol;
import io.torsion.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests of every decoder: valid streams fed in random chunks come out byte for
 * byte; random garbage never makes an exception escape (it is delivered or the connection closes
 * with a reason). A failure names its seed, so it can be replayed.
 */
class DecoderFuzzTest {
  private static final int ROUNDS = 400;

  /** Collects delivered frames as byte arrays. */
  private static ByteBuffer copyOf(ByteBuffer data) {
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data.duplicate()).flip();
    return copy;
  }

  private static void feedInRandomChunks(StringTransport transport, byte[] stream, Random random) {
    int at = 0;
    while (at < stream.length && !transport.disconnecting()) {
      int n = 1 + random.nextInt(Math.min(64, stream.length - at));
      transport.receive(Arrays.copyOfRange(stream, at, at + n));
      at += n;
    }
  }

  private static byte[] randomPayload(Random random, int max, byte[] avoid) {
    byte[] payload = new byte[random.nextInt(max + 1)];
    for (int i = 0; i < payload.length; i++) {
      byte b;
      do {
        b = (byte) random.nextInt(256);
      } while (avoid != null && Arrays.binarySearch(avoid, b) >= 0);
      payload[i] = b;
    }
    return payload;
  }

  private void roundTrip(
      String name,
      Function<List<ByteBuffer>, Protocol> decoder,
      Function<byte[], byte[]> frame,
      byte[] avoid,
      int maxPayload) {
    for (int round = 0; round < ROUNDS; round++) {
      long seed = name.hashCode() * 1_000_003L + round;
      Random random = new Random(seed);
      List<byte[]> sent = new ArrayList<>();
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      for (int i = random.nextInt(20); i > 0; i--) {
        byte[] payload = randomPayload(random, maxPayload, avoid);
        sent.add(payload);
        stream.writeBytes(frame.apply(payload));
      }
      List<ByteBuffer> got = new ArrayList<>();
      StringTransport transport = new StringTransport();
      transport.connect(decoder.apply(got));
      feedInRandomChunks(transport, stream.toByteArray(), random);
      assertThat(transport.disconnecting())
          .as("%s seed %d: valid input closed the connection", name, seed)
          .isFalse();
      assertThat(got).as("%s seed %d: frame count", name, seed).hasSize(sent.size());
      for (int i = 0; i < sent.size(); i++) {
        byte[] bytes = new byte[got.get(i).remaining()];
        got.get(i).get(bytes);
        assertThat(bytes).as("%s seed %d: frame %d", name, seed, i).isEqualTo(sent.get(i));
      }
    }
  }

  private void garbage(String name, Function<List<ByteBuffer>, Protocol> decoder) {
    for (int round = 0; round < ROUNDS; round++) {
      long seed = name.hashCode() * 7_000_003L + round;
      Random random = new Random(seed);
      byte[] stream = randomPayload(random, 2000, null);
      StringTransport transport = new StringTransport();
      transport.connect(decoder.apply(new ArrayList<>()));
      feedInRandomChunks(transport, stream, random); // must not throw
      if (transport.disconnecting()) {
        assertThat(transport.closeReason())
            .as("%s seed %d: closed with a reason", name, seed)
            .isNotBlank();
      }
    }
  }

  private static final byte[] CR_LF = {'\n', '\r'};

  static Protocol lines(List<ByteBuffer> got) {
    return new LineReceiver(LineOptions.builder().maxLength(300).build()) {
      @Override
      public void lineBytesReceived(ByteBuffer line) {
        got.add(copyOf(line));
      }

      @Override
      public void lineReceived(String line) {}
    };
  }

  static Protocol netstrings(List<ByteBuffer> got) {
    return new NetstringReceiver(1000) {
      @Override
      public void stringReceived(ByteBuffer string) {
        got.add(copyOf(string));
      }
    };
  }

  static Protocol int32(List<ByteBuffer> got) {
    return new Int32StringReceiver(1000) {
      @Override
      public void stringReceived(ByteBuffer string) {
        got.add(copyOf(string));
      }
    };
  }

  @Test
  void lineDecoderLosesNoByte() {
    roundTrip(
        "lines",
        DecoderFuzzTest::lines,
        payload -> {
          byte[] framed = Arrays.copyOf(payload, payload.length + 2);
          framed[payload.length] = '\r';
          framed[payload.length + 1] = '\n';
          return framed;
        },
        CR_LF,
        300);
  }

  @Test
  void netstringDecoderLosesNoByte() {
    roundTrip(
        "netstrings",
        DecoderFuzzTest::netstrings,
        payload -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.writeBytes((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
          out.writeBytes(payload);
          out.write(',');
          return out.toByteArray();
        },
        null,
        1000);
  }

  @Test
  void int32DecoderLosesNoByte() {
    roundTrip(
        "int32",
        DecoderFuzzTest::int32,
        payload ->
            ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array(),
        null,
        1000);
  }

  @Test
  void noDecoderLetsAnExceptionEscapeOnGarbage() {
    garbage("lines", DecoderFuzzTest::lines);
    garbage("netstrings", DecoderFuzzTest::netstrings);
    garbage("int32", DecoderFuzzTest::int32);
  }
}
