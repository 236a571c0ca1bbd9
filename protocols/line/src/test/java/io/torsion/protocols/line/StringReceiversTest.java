package io.torsion.protocols.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringReceiversTest {
  static String text(ByteBuffer data) {
    return StandardCharsets.UTF_8.decode(data).toString();
  }

  static final class Netstrings extends NetstringReceiver {
    final List<String> events;

    Netstrings(List<String> events) {
      this(events, DEFAULT_MAX_LENGTH);
    }

    Netstrings(List<String> events, long max) {
      super(max);
      this.events = events;
    }

    @Override
    public void stringReceived(ByteBuffer string) {
      events.add("string: " + text(string));
    }
  }

  static final class Int16 extends Int16StringReceiver {
    final List<String> events;

    Int16(List<String> events, long max) {
      super(max);
      this.events = events;
    }

    @Override
    public void stringReceived(ByteBuffer string) {
      events.add("string: " + text(string));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void netstringsArriveWhateverTheReadBoundaries() {
    for (List<String> events : Splits.everyWay(bytes("5:hello,0:,3:a,b,"), Netstrings::new)) {
      assertThat(events).containsExactly("string: hello", "string: ", "string: a,b");
    }
  }

  @Test
  void malformedNetstringsCloseTheConnectionWithAReason() {
    String[][] cases = {
      {"x:abc,", "malformed netstring: length is not a decimal number (byte 0x78)"},
      {"3:abc;", "malformed netstring: missing the trailing comma after 3 bytes"},
      {"03:abc,", "malformed netstring: length has a leading zero"},
      {":abc,", "malformed netstring: empty length"},
      {"100000:", "netstring announced at least 100000 bytes, over the limit of 99999"},
      {"9999999", "netstring announced at least 999999 bytes, over the limit of 99999"},
    };
    for (String[] c : cases) {
      for (List<String> events : Splits.everyWay(bytes(c[0] + "2:ok,"), Netstrings::new)) {
        assertThat(events).as(c[0]).containsExactly("closed: " + c[1]);
      }
    }
  }

  @Test
  void lengthPrefixedStringsArriveWhateverTheReadBoundaries() {
    byte[] input = {0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 1, 'x'};
    for (List<String> events : Splits.everyWay(input, e -> new Int16(e, 100))) {
      assertThat(events).containsExactly("string: hello", "string: ", "string: x");
    }
  }

  @Test
  void anAnnouncedLengthOverTheLimitClosesBeforeBuffering() {
    byte[] input = {0, 101, 'a'};
    for (List<String> events : Splits.everyWay(input, e -> new Int16(e, 100))) {
      assertThat(events)
          .containsExactly("closed: string of 101 bytes announced, over the limit of 100");
    }
  }

  @Test
  void sendStringFramesAndRefusesWhatThePrefixCannotSay() {
    StringTransport transport = new StringTransport();
    Int8StringReceiver int8 =
        transport.connect(
            new Int8StringReceiver() {
              @Override
              public void stringReceived(ByteBuffer string) {}
            });
    int8.sendString(new byte[] {'h', 'i'});
    assertThat(transport.value()).containsExactly(2, 'h', 'i');
    assertThatThrownBy(() -> int8.sendString(new byte[256]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-byte length prefix");
    StringTransport net = new StringTransport();
    net.connect(new Netstrings(new ArrayList<>())).sendString(bytes("abc"));
    assertThat(net.valueUtf8()).isEqualTo("3:abc,");
    StringTransport int32 = new StringTransport();
    int32
        .connect(
            new Int32StringReceiver() {
              @Override
              public void stringReceived(ByteBuffer string) {}
            })
        .sendString(new byte[] {7});
    assertThat(int32.value()).containsExactly(0, 0, 0, 1, 7);
    assertThatThrownBy(
            () ->
                new Int8StringReceiver(256) {
                  @Override
                  public void stringReceived(ByteBuffer string) {}
                })
        .isInstanceOf(IllegalArgumentException.class);
  }
}
