package io.torsion.protocols.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.ConnectionClosed;
import io.torsion.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReceiverTest {
  /** Records lines (and what else happens) as events. */
  static class Recording extends LineReceiver {
    final List<String> events;

    Recording(List<String> events, LineOptions options) {
      super(options);
      this.events = events;
    }

    Recording(List<String> events) {
      this(events, LineOptions.defaults());
    }

    @Override
    public void lineReceived(String line) {
      events.add("line: " + line);
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      events.add("lost: " + reason.getMessage());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void splitsLinesWhateverTheReadBoundaries() {
    byte[] input = bytes("a\r\nbc\r\n\r\ndéf\r\npartial");
    for (List<String> events : Splits.everyWay(input, Recording::new)) {
      assertThat(events).containsExactly("line: a", "line: bc", "line: ", "line: déf");
    }
  }

  @Test
  void theDelimiterIsConfigurableAndABareLfIsDataUnderCrLf() {
    byte[] input = bytes("one\ntwo\r\n");
    for (List<String> events : Splits.everyWay(input, Recording::new)) {
      assertThat(events).containsExactly("line: one\ntwo");
    }
    LineOptions lf = LineOptions.builder().delimiter("\n").build();
    for (List<String> events : Splits.everyWay(input, e -> new Recording(e, lf))) {
      assertThat(events).containsExactly("line: one", "line: two\r");
    }
  }

  @Test
  void aLineExactlyAtTheLimitPassesAndOnePastItClosesTheConnection() {
    LineOptions five = LineOptions.builder().maxLength(5).build();
    for (List<String> events :
        Splits.everyWay(bytes("12345\r\nnext\r\n"), e -> new Recording(e, five))) {
      assertThat(events).containsExactly("line: 12345", "line: next");
    }
    for (List<String> events :
        Splits.everyWay(bytes("ok\r\n123456\r\nnever\r\n"), e -> new Recording(e, five))) {
      assertThat(events)
          .containsExactly(
              "line: ok", "lost: line longer than 5 bytes", "closed: line longer than 5 bytes");
    }
  }

  @Test
  void theLimitAlsoHoldsForALineStillWaitingForItsDelimiter() {
    LineOptions five = LineOptions.builder().maxLength(5).build();
    // 5 bytes and the first half of the delimiter: still fine.
    for (List<String> events : Splits.everyWay(bytes("12345\r"), e -> new Recording(e, five))) {
      assertThat(events).isEmpty();
    }
    for (List<String> events : Splits.everyWay(bytes("123456"), e -> new Recording(e, five))) {
      assertThat(events)
          .containsExactly("lost: line longer than 5 bytes", "closed: line longer than 5 bytes");
    }
  }

  /** Reads "RAW n" lines, then n raw bytes, then lines again. */
  static final class Switching extends Recording {
    private int wanted;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

    Switching(List<String> events) {
      super(events);
    }

    @Override
    public void lineReceived(String line) {
      super.lineReceived(line);
      if (line.startsWith("RAW ")) {
        wanted = Integer.parseInt(line.substring(4));
        setRawMode();
      }
    }

    @Override
    public void rawDataReceived(ByteBuffer data) {
      int take = Math.min(wanted - raw.size(), data.remaining());
      byte[] chunk = new byte[take];
      data.get(chunk);
      raw.writeBytes(chunk);
      if (raw.size() == wanted) {
        events.add("raw: " + raw.toString(StandardCharsets.UTF_8));
        raw.reset();
        setLineMode(data.slice());
      }
    }
  }

  @Test
  void switchingToRawAndBackInsideOneReadLosesAndReordersNothing() {
    byte[] input = bytes("RAW 5\r\nhello world\r\nRAW 3\r\n\r\n\rtail\r\n");
    for (List<String> events : Splits.everyWay(input, Switching::new)) {
      assertThat(events)
          .containsExactly(
              "line: RAW 5",
              "raw: hello",
              "line:  world",
              "line: RAW 3",
              "raw: \r\n\r",
              "line: tail");
    }
  }

  @Test
  void pausingHoldsLinesAndResumingDeliversThemWhereItStopped() {
    List<String> events = new ArrayList<>();
    StringTransport transport = new StringTransport();
    Recording protocol =
        transport.connect(
            new Recording(events) {
              @Override
              public void lineReceived(String line) {
                super.lineReceived(line);
                if (line.equals("pause")) {
                  pauseProducing();
                }
              }
            });
    transport.receive("a\r\npause\r\nb\r\nc");
    assertThat(events).containsExactly("line: a", "line: pause");
    assertThat(transport.paused()).isTrue();
    transport.receive("\r\n"); // bytes arriving while paused are kept, not delivered
    assertThat(events).containsExactly("line: a", "line: pause");
    protocol.resumeProducing();
    assertThat(events).containsExactly("line: a", "line: pause", "line: b", "line: c");
    assertThat(transport.paused()).isFalse();
  }

  @Test
  void clearLineBufferHandsBackWhatWasNotDelivered() {
    List<String> events = new ArrayList<>();
    List<String> cleared = new ArrayList<>();
    StringTransport transport = new StringTransport();
    transport.connect(
        new Recording(events) {
          @Override
          public void lineReceived(String line) {
            super.lineReceived(line);
            cleared.add(StandardCharsets.UTF_8.decode(clearLineBuffer()).toString());
          }
        });
    transport.receive("first\r\nsecond\r\nthird");
    assertThat(events).containsExactly("line: first");
    assertThat(cleared).containsExactly("second\r\nthird");
  }

  @Test
  void malformedInputClosesOrIsReplacedAsConfigured() {
    byte[] bad = {'o', 'k', '\r', '\n', (byte) 0xC3, (byte) 0x28, '\r', '\n'};
    for (List<String> events : Splits.everyWay(bad, Recording::new)) {
      assertThat(events).hasSize(3);
      assertThat(events.get(0)).isEqualTo("line: ok");
      assertThat(events.get(2)).startsWith("closed: line is not valid UTF-8");
    }
    LineOptions replace = LineOptions.builder().malformed(LineOptions.Malformed.REPLACE).build();
    for (List<String> events : Splits.everyWay(bad, e -> new Recording(e, replace))) {
      assertThat(events).containsExactly("line: ok", "line: \uFFFD(");
    }
  }

  @Test
  void linesCanBeTakenAsBytesWithoutDecoding() {
    List<String> events = new ArrayList<>();
    StringTransport transport = new StringTransport();
    transport.connect(
        new Recording(events) {
          @Override
          public void lineBytesReceived(ByteBuffer line) {
            events.add("bytes: " + line.remaining());
          }
        });
    transport.receive(new byte[] {1, 2, (byte) 0xFF, '\r', '\n'});
    assertThat(events).containsExactly("bytes: 3");
  }

  @Test
  void sendLineWritesTheLineAndTheDelimiter() {
    StringTransport transport = new StringTransport();
    Recording protocol = transport.connect(new Recording(new ArrayList<>()));
    protocol.sendLine("héllo");
    protocol.sendLine(new byte[] {'x'});
    assertThat(transport.valueUtf8()).isEqualTo("héllo\r\nx\r\n");
  }

  @Test
  void rawModeWithoutRawDataReceivedClosesWithAReason() {
    List<String> events = new ArrayList<>();
    StringTransport transport = new StringTransport();
    transport.connect(
        new Recording(events) {
          @Override
          public void lineReceived(String line) {
            setRawMode();
          }
        });
    transport.receive("go raw\r\nbinary");
    assertThat(transport.closeReason()).contains("does not override rawDataReceived");
  }
}
