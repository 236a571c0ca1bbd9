package io.torsion.protocols.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.Protocol;
import io.torsion.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Where the framing receivers must behave as Twisted's {@code twisted.protocols.basic} does. */
class FramingFidelityTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A line protocol that closes on QUIT (cleanly, abruptly, or by stopProducing). */
  static final class Quitting extends LineReceiver {
    final List<String> lines = new ArrayList<>();
    final String how;

    Quitting(String how) {
      this.how = how;
    }

    @Override
    public void lineReceived(String line) {
      lines.add(line);
      if (line.equals("QUIT")) {
        switch (how) {
          case "lose" -> transport().loseConnection();
          case "abort" -> transport().abortConnection();
          default -> stopProducing();
        }
      }
    }
  }

  @Test
  void noLineIsDeliveredAfterTheProtocolClosedEvenFromTheSameRead() {
    for (String how : List.of("lose", "abort", "stop")) {
      byte[] input = bytes("SET a 1\r\nQUIT\r\nSET k v\r\nMORE\r\n");
      for (int split = 0; split <= input.length; split++) {
        StringTransport transport = new StringTransport();
        Quitting protocol = transport.connect(new Quitting(how));
        transport.receive(Arrays.copyOfRange(input, 0, split));
        if (!transport.disconnecting()) {
          transport.receive(Arrays.copyOfRange(input, split, input.length));
        }
        assertThat(protocol.lines)
            .as("%s, split at %d", how, split)
            .containsExactly("SET a 1", "QUIT");
        assertThat(transport.disconnecting()).isTrue();
      }
    }
  }

  @Test
  void aLineOnlyReceiverAlsoStopsAtTheClose() {
    List<String> lines = new ArrayList<>();
    StringTransport transport = new StringTransport();
    transport.connect(
        new LineOnlyReceiver() {
          @Override
          public void lineReceived(String line) {
            lines.add(line);
            if (line.equals("QUIT")) {
              transport().loseConnection();
            }
          }
        });
    transport.receive("QUIT\r\nSET k v\r\n");
    assertThat(lines).containsExactly("QUIT");
  }

  /** A string receiver that records, and closes or pauses on command. */
  private static <R extends Protocol> void stringsStopAtTheClose(
      Function<List<String>, R> make, byte[] input) {
    for (int split = 0; split <= input.length; split++) {
      List<String> events = new ArrayList<>();
      StringTransport transport = new StringTransport();
      transport.connect(make.apply(events));
      transport.receive(Arrays.copyOfRange(input, 0, split));
      if (!transport.disconnecting()) {
        transport.receive(Arrays.copyOfRange(input, split, input.length));
      }
      assertThat(events).as("split at %d", split).containsExactly("a", "QUIT");
    }
  }

  static final class ClosingNetstrings extends NetstringReceiver {
    final List<String> events;

    ClosingNetstrings(List<String> events) {
      this.events = events;
    }

    @Override
    public void stringReceived(ByteBuffer string) {
      String text = StandardCharsets.UTF_8.decode(string).toString();
      events.add(text);
      if (text.equals("QUIT")) {
        transport().loseConnection();
      } else if (text.equals("PAUSE")) {
        pauseProducing();
      }
    }
  }

  static final class ClosingInt32 extends Int32StringReceiver {
    final List<String> events;

    ClosingInt32(List<String> events) {
      this.events = events;
    }

    @Override
    public void stringReceived(ByteBuffer string) {
      String text = StandardCharsets.UTF_8.decode(string).toString();
      events.add(text);
      if (text.equals("QUIT")) {
        transport().loseConnection();
      } else if (text.equals("PAUSE")) {
        pauseProducing();
      }
    }
  }

  private static byte[] int32(String... strings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : strings) {
      byte[] b = bytes(s);
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  @Test
  void netstringsAndPrefixedStringsStopAtTheCloseToo() {
    stringsStopAtTheClose(ClosingNetstrings::new, bytes("1:a,4:QUIT,3:SET,"));
    stringsStopAtTheClose(ClosingInt32::new, int32("a", "QUIT", "SET"));
  }

  @Test
  void pausingANetstringReceiverHoldsTheStringsAlreadyBufferedUntilResume() {
    List<String> events = new ArrayList<>();
    StringTransport transport = new StringTransport();
    ClosingNetstrings receiver = transport.connect(new ClosingNetstrings(events));
    transport.receive("5:PAUSE,1:b,1:c,");
    assertThat(events).containsExactly("PAUSE");
    assertThat(transport.paused()).as("the transport is paused too").isTrue();
    transport.receive("1:d,");
    assertThat(events).containsExactly("PAUSE");
    receiver.resumeProducing();
    assertThat(transport.paused()).isFalse();
    assertThat(events).containsExactly("PAUSE", "b", "c", "d");
  }

  @Test
  void pausingAnInt32ReceiverHoldsTheStringsAlreadyBufferedUntilResume() {
    List<String> events = new ArrayList<>();
    StringTransport transport = new StringTransport();
    ClosingInt32 receiver = transport.connect(new ClosingInt32(events));
    transport.receive(int32("PAUSE", "b", "c"));
    assertThat(events).containsExactly("PAUSE");
    receiver.resumeProducing();
    assertThat(events).containsExactly("PAUSE", "b", "c");
  }

  /** Keeps the connection open when a line is too long. */
  static final class Forgiving extends LineReceiver {
    final List<String> events = new ArrayList<>();

    Forgiving(LineOptions options) {
      super(options);
    }

    @Override
    public void lineReceived(String line) {
      events.add(line);
    }

    @Override
    public void lineLengthExceeded(ByteBuffer buffered) {
      events.add("too long (" + buffered.remaining() + " bytes)");
    }
  }

  @Test
  void aLineLengthExceededThatKeepsTheConnectionOpenResynchronisesAtTheNextDelimiter() {
    LineOptions options = LineOptions.builder().maxLength(8).build();
    byte[] input = bytes("ok\r\n" + "x".repeat(30) + "\r\nafter\r\nlast\r\n");
    for (int split = 0; split <= input.length; split++) {
      StringTransport transport = new StringTransport();
      Forgiving protocol = transport.connect(new Forgiving(options));
      transport.receiveSplit(input, split);
      assertThat(protocol.events).as("split at %d", split).hasSize(4);
      assertThat(protocol.events.get(0)).isEqualTo("ok");
      assertThat(protocol.events.get(1)).startsWith("too long");
      assertThat(protocol.events.subList(2, 4)).containsExactly("after", "last");
      assertThat(transport.disconnecting()).isFalse();
    }
  }

  @Test
  void aLineTooLongStillClosesByDefault() {
    StringTransport transport = new StringTransport();
    List<String> lines = new ArrayList<>();
    transport.connect(
        new LineReceiver(LineOptions.builder().maxLength(4).build()) {
          @Override
          public void lineReceived(String line) {
            lines.add(line);
          }
        });
    transport.receive("toolong\r\nnext\r\n");
    assertThat(lines).isEmpty();
    assertThat(transport.closeReason()).contains("longer than");
  }

  @Test
  void withBareLfAcceptedEitherLineEndEndsALineAndLinesAreSentWithCrLf() {
    LineOptions options = LineOptions.builder().acceptBareLf(true).build();
    byte[] input = bytes("WATCH\nSET k v\r\n\nlast\r\n");
    for (int split = 0; split <= input.length; split++) {
      StringTransport transport = new StringTransport();
      List<String> lines = new ArrayList<>();
      transport.connect(
          new LineReceiver(options) {
            @Override
            public void lineReceived(String line) {
              lines.add(line);
              if (line.equals("WATCH")) {
                sendLine("WATCHING");
              }
            }
          });
      transport.receiveSplit(input, split);
      assertThat(lines).as("split at %d", split).containsExactly("WATCH", "SET k v", "", "last");
      assertThat(transport.valueUtf8()).isEqualTo("WATCHING\r\n");
    }
  }

  @Test
  void withBareLfAcceptedTheLimitCountsTheLineWithoutItsCarriageReturn() {
    LineOptions options = LineOptions.builder().acceptBareLf(true).maxLength(4).build();
    StringTransport transport = new StringTransport();
    List<String> lines = new ArrayList<>();
    transport.connect(
        new LineReceiver(options) {
          @Override
          public void lineReceived(String line) {
            lines.add(line);
          }
        });
    transport.receive("abcd\r");
    transport.receive("\nabcd\n");
    assertThat(lines).containsExactly("abcd", "abcd");
    transport.receive("abcde\n");
    assertThat(transport.closeReason()).contains("longer than");
  }

  @Test
  void bareLfNeedsTheCrLfDelimiter() {
    assertThatThrownBy(() -> LineOptions.builder().delimiter("\n").acceptBareLf(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acceptBareLf");
  }

  @Test
  void theTransportTellsWhetherItIsClosing() {
    StringTransport transport = new StringTransport();
    List<Boolean> seen = new ArrayList<>();
    transport.connect(
        new LineReceiver() {
          @Override
          public void lineReceived(String line) {
            seen.add(transport().disconnecting());
            transport().loseConnection();
            seen.add(transport().disconnecting());
          }
        });
    transport.receive("x\r\n");
    assertThat(seen).containsExactly(false, true);
  }
}
