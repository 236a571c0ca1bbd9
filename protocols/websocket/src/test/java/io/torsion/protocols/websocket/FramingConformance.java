package io.torsion.protocols.websocket;

import static io.torsion.protocols.websocket.Wire.concat;
import static io.torsion.protocols.websocket.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.protocols.websocket.Wire.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our own suite for the behaviour Autobahn|Testsuite checks, sections 1 to 10 (framing, pings,
 * reserved bits and opcodes, fragmentation, UTF-8, closing, limits), run against each side of a
 * connection ({@link ServerRoleConformanceTest}, {@link ClientRoleConformanceTest}) with the peer
 * scripted byte by byte: frames masked when the test plays the client, plain when it plays the
 * server. Each short case is also sent at every split of its bytes.
 */
abstract class FramingConformance {

  /** Whether the connection under test is the client side. */
  abstract boolean client();

  Wire wire(WebSocketOptions options) {
    return client() ? Wire.client(options) : Wire.server(options);
  }

  Wire wire() {
    return wire(WebSocketOptions.defaults());
  }

  Wire wire(WebSocketOptions options, Wire.Recording app) {
    return client() ? Wire.client(options, app) : Wire.server(options, null, app);
  }

  /** A frame as the peer sends it: masked from a client, plain from a server. */
  byte[] frame(int opcode, boolean fin, byte[] payload) {
    return Wire.frame(opcode, fin, payload, !client());
  }

  byte[] frame(int opcode, byte[] payload) {
    return frame(opcode, true, payload);
  }

  /** A frame masked the way the peer must not mask it. */
  byte[] wronglyMasked(int opcode, byte[] payload) {
    return Wire.frame(opcode, true, payload, client());
  }

  byte[] closeFrame(int code, byte[] reason) {
    ByteBuffer payload = ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason);
    return frame(8, payload.array());
  }

  /**
   * Whether the connection closes TCP itself once both close frames are out: a server does, a
   * client leaves it to the server (RFC 6455 7.1.1).
   */
  boolean closesTcpAfterTheHandshake() {
    return !client();
  }

  /** Sends {@code bytes} to a fresh connection at every split point, checking each. */
  void atEverySplit(byte[] bytes, Consumer<Wire> check) {
    int stride = Math.max(1, bytes.length / 300);
    for (int at = 0; at <= bytes.length; at += stride) {
      Wire wire = wire();
      wire.transport.receiveSplit(bytes, at);
      check.accept(wire);
    }
    Wire oneByOne = wire();
    oneByOne.transport.receiveByteByByte(bytes);
    check.accept(oneByOne);
  }

  // ---------------------------------------------------------------- 1: framing

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536, 1 << 20})
  void textAndBinaryOfEveryLengthClassAreEchoed(int length) {
    byte[] text = new byte[length];
    Arrays.fill(text, (byte) '*');
    Wire wire = wire();
    wire.receive(frame(1, text));
    wire.receive(frame(2, text));
    List<Frame> echoed = wire.sent();
    assertThat(echoed).hasSize(2);
    assertThat(echoed.get(0).opcode()).isEqualTo(1);
    assertThat(echoed.get(0).payload()).isEqualTo(text);
    assertThat(echoed.get(1).opcode()).isEqualTo(2);
    assertThat(echoed.get(1).payload()).isEqualTo(text);
  }

  @Test
  void aFrameArrivesWholeAtEverySplitOfItsBytes() {
    byte[] frames = concat(frame(1, utf8("Hello, κόσμε")), frame(2, new byte[200]));
    atEverySplit(
        frames,
        wire ->
            assertThat(wire.app.events).containsExactly("open", "text:Hello, κόσμε", "binary:200"));
  }

  // ---------------------------------------------------------------- 2: pings and pongs

  @Test
  void pingsAreAnsweredWithTheirPayloadAndPongsReachTheApplication() {
    byte[] full = new byte[125];
    Arrays.fill(full, (byte) 0xFE);
    atEverySplit(
        concat(frame(9, new byte[0]), frame(9, full), frame(10, utf8("hi"))),
        wire -> {
          List<Frame> sent = wire.sent();
          assertThat(sent).extracting(Frame::opcode).containsExactly(10, 10);
          assertThat(sent.get(1).payload()).isEqualTo(full);
          assertThat(wire.app.events).containsExactly("open", "pong:2");
        });
  }

  @Test
  void aPingOver125BytesOrFragmentedIsAProtocolError() {
    byte[] big = new byte[126];
    byte[] longPing = frame(9, true, big);
    atEverySplit(longPing, wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    atEverySplit(frame(9, false, utf8("x")), wire -> assertThat(wire.closeCode()).isEqualTo(1002));
  }

  // ---------------------------------------------------------------- 3, 4: reserved bits, opcodes

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
  void aReservedBitIsAProtocolErrorWithoutAnExtension(int bits) {
    byte[] frame = frame(1, utf8("reserved"));
    frame[0] |= (byte) bits;
    atEverySplit(frame, wire -> assertThat(wire.closeCode()).isEqualTo(1002));
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
  void aReservedOpcodeIsAProtocolError(int opcode) {
    Wire wire = wire();
    wire.receive(concat(frame(1, utf8("before")), frame(opcode, utf8("x"))));
    assertThat(wire.app.events).startsWith("open", "text:before").hasSize(3);
    List<Frame> sent = wire.sent();
    assertThat(sent.get(sent.size() - 1).code()).isEqualTo(1002);
    assertThat(wire.closedTcp()).isTrue();
  }

  // ---------------------------------------------------------------- 5: fragmentation

  @Test
  void fragmentsMakeOneMessageAndControlFramesMayComeBetween() {
    byte[] message =
        concat(
            frame(1, false, utf8("frag")),
            frame(9, utf8("ping")),
            frame(0, false, utf8("men")),
            frame(0, true, utf8("ted")));
    atEverySplit(
        message,
        wire -> {
          assertThat(wire.app.events).containsExactly("open", "text:fragmented");
          List<Frame> sent = wire.sent();
          assertThat(sent).extracting(Frame::opcode).containsExactly(10, 1);
          assertThat(sent.get(1).text()).isEqualTo("fragmented");
        });
  }

  @Test
  void aContinuationWithoutAStartOrANewMessageInsideOneIsAProtocolError() {
    atEverySplit(
        frame(0, true, utf8("orphan")), wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    atEverySplit(
        concat(frame(1, false, utf8("a")), frame(1, true, utf8("b"))),
        wire -> assertThat(wire.closeCode()).isEqualTo(1002));
  }

  // ---------------------------------------------------------------- 6: UTF-8

  @Test
  void validUtf8SplitAnywhereAcrossFragmentsIsOneMessage() {
    byte[] text = utf8("κόσμε 𝄞 € ✓ \u0000 \uFFFF \uD83D\uDE00");
    for (int at = 0; at <= text.length; at++) {
      Wire wire = wire();
      wire.receive(
          concat(
              frame(1, false, Arrays.copyOfRange(text, 0, at)),
              frame(0, true, Arrays.copyOfRange(text, at, text.length))));
      assertThat(wire.app.events).hasSize(2);
      assertThat(wire.sent().get(0).payload()).isEqualTo(text);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "c0af", // overlong '/'
        "e080af", // overlong, three bytes
        "f08080af", // overlong, four bytes
        "eda080", // a surrogate
        "edbfbf", // a surrogate
        "f4908080", // past U+10FFFF
        "f5", // never a lead
        "80", // a continuation first
        "ce", // truncated at the end
        "cebae1bdb9cfbcceb5eda080656469746564" // valid, then a surrogate
      })
  void invalidUtf8AtEveryPositionIs1007(String hex) {
    byte[] bad = hex(hex);
    for (int prefix = 0; prefix <= 3; prefix++) {
      byte[] text = concat(utf8("ab".repeat(prefix)), bad);
      atEverySplit(frame(1, text), wire -> assertThat(wire.closeCode()).isEqualTo(1007));
    }
  }

  @Test
  void invalidUtf8FailsFastBeforeTheMessageEnds() {
    Wire wire = wire();
    wire.receive(frame(1, false, concat(utf8("κόσμε"), hex("eda080"))));
    assertThat(wire.closeCode()).isEqualTo(1007); // the final fragment never came
    assertThat(wire.closedTcp()).isTrue();
  }

  // ---------------------------------------------------------------- 7: closing

  @Test
  void aCloseIsEchoedAndOnlyAServerThenClosesTheConnection() {
    atEverySplit(
        closeFrame(1000, utf8("bye")),
        wire -> {
          assertThat(wire.closeCode()).isEqualTo(1000);
          assertThat(wire.closedTcp()).isEqualTo(closesTcpAfterTheHandshake());
        });
    Wire empty = wire();
    empty.receive(frame(8, new byte[0]));
    List<Frame> sent = empty.sent();
    assertThat(sent.get(0).payload()).isEmpty();
    empty.peerCloses();
    assertThat(empty.app.closed).isEqualTo(new CloseStatus(1005, "", true));
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
        4999
      })
  void everyValidCloseCodeIsEchoed(int code) {
    Wire wire = wire();
    wire.receive(closeFrame(code, utf8("reason")));
    assertThat(wire.closeCode()).isEqualTo(code);
    wire.peerCloses();
    assertThat(wire.app.closed).isEqualTo(new CloseStatus(code, "reason", true));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
  void everyInvalidCloseCodeIsAProtocolError(int code) {
    Wire wire = wire();
    wire.receive(closeFrame(code, new byte[0]));
    assertThat(wire.closeCode()).isEqualTo(1002);
  }

  @Test
  void aOneByteCloseOrAReasonThatIsNotUtf8IsRefused() {
    atEverySplit(frame(8, new byte[] {3}), wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    atEverySplit(
        closeFrame(1000, hex("cebae1bdb9cfbcceb5eda080")),
        wire -> assertThat(wire.closeCode()).isEqualTo(1007));
  }

  @Test
  void framesAfterTheCloseAreIgnored() {
    Wire wire = wire();
    wire.receive(
        concat(closeFrame(1000, new byte[0]), frame(1, utf8("late")), frame(9, new byte[0])));
    if (!closesTcpAfterTheHandshake()) {
      wire.peerCloses(); // a client hears the end when the server closes TCP
    }
    assertThat(wire.app.events).containsExactly("open", "close:1000:clean");
    assertThat(wire.sent()).extracting(Frame::opcode).containsExactly(8);
  }

  @Test
  void aSideThatClosesWaitsForTheAnswerThenDropsWithinTheTimeout() {
    Wire answered = wire();
    answered.app.close(4000, "done");
    assertThat(answered.closeCode()).isEqualTo(4000);
    assertThat(answered.closedTcp()).isFalse(); // waits for the peer's close
    answered.app.sendText("dropped"); // after the close: not sent
    assertThat(answered.sent()).isEmpty();
    answered.receive(closeFrame(4000, new byte[0]));
    assertThat(answered.closedTcp()).isEqualTo(closesTcpAfterTheHandshake());
    answered.peerCloses();
    assertThat(answered.app.closed).isEqualTo(new CloseStatus(4000, "", true));

    Wire silent = wire();
    silent.app.close();
    silent.clock.advance(Duration.ofSeconds(5));
    assertThat(silent.transport.aborted()).isTrue();
  }

  // ---------------------------------------------------------------- 9, 10: limits, masking

  @Test
  void aFrameOrMessageOverTheLimitsIs1009AndA2GiBDeclaredFrameAllocatesNothing() {
    WebSocketOptions small = WebSocketOptions.defaults().withLimits(1000, 1500);
    Wire frame = wire(small);
    frame.receive(frame(2, new byte[1001]));
    assertThat(frame.closeCode()).isEqualTo(1009);

    Wire message = wire(small);
    message.receive(concat(frame(2, false, new byte[1000]), frame(0, true, new byte[501])));
    assertThat(message.closeCode()).isEqualTo(1009);

    Wire huge = wire();
    // a header declaring 2 GiB, masked, and the first bytes only
    byte mask = (byte) (client() ? 0 : 0x80);
    byte[] head = {(byte) 0x82, (byte) (mask | 127), 0, 0, 0, 0, (byte) 0x80, 0, 0, 0, 1, 2, 3, 4};
    huge.receive(head);
    assertThat(huge.closeCode()).isEqualTo(1009);
    assertThat(huge.closedTcp()).isTrue();
  }

  @Test
  void aFrameMaskedTheWrongWayIsAProtocolErrorAndWhatIsSentIsMaskedTheRightWay() {
    atEverySplit(
        wronglyMasked(1, utf8("wrong")), wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    atEverySplit(
        wronglyMasked(9, new byte[0]), wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    Wire fine = wire();
    fine.receive(frame(1, utf8("right")));
    assertThat(fine.app.events).containsExactly("open", "text:right");
    byte[] raw = fine.transport.value();
    assertThat(raw[1] & 0x80).as("the echo's mask bit").isEqualTo(client() ? 0x80 : 0);
    assertThat(fine.sent().get(0).text()).isEqualTo("right"); // parsed back as the peer must
  }

  @Test
  void aSilentPeerIsPingedThenClosedAndAnAnsweringOneIsKept() {
    WebSocketOptions keepAlive =
        WebSocketOptions.defaults().withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(5));
    Wire answering = wire(keepAlive);
    answering.clock.advance(Duration.ofSeconds(10)); // heard the handshake: one quiet interval
    answering.clock.advance(Duration.ofSeconds(10));
    assertThat(answering.sent()).extracting(Frame::opcode).containsExactly(9);
    answering.receive(frame(10, new byte[0]));
    answering.clock.advance(Duration.ofSeconds(5));
    assertThat(answering.closedTcp()).isFalse();

    Wire silent = wire(keepAlive);
    silent.clock.advance(Duration.ofSeconds(10));
    silent.clock.advance(Duration.ofSeconds(10));
    silent.clock.advance(Duration.ofSeconds(5));
    assertThat(silent.closeCode()).isEqualTo(1001);
    assertThat(silent.closedTcp()).isTrue();
  }

  @Test
  void anApplicationThatThrowsClosesItsConnectionWith1011() {
    Wire.Recording throwing =
        new Wire.Recording(false) {
          @Override
          protected void onText(String text) {
            throw new IllegalStateException("bug");
          }
        };
    Wire wire = wire(WebSocketOptions.defaults(), throwing);
    wire.receive(concat(frame(1, utf8("boom")), frame(1, utf8("never"))));
    assertThat(wire.closeCode()).isEqualTo(1011);
  }

  @Test
  void aStreamingApplicationGetsFragmentsOfAnySize() {
    StringBuilder got = new StringBuilder();
    Wire.Recording streaming =
        new Wire.Recording(false) {
          @Override
          protected boolean receivesFragments() {
            return true;
          }

          @Override
          protected void onFragment(ByteBuffer data, boolean text, boolean last) {
            got.append(data.remaining()).append(last ? "." : ",");
          }
        };
    Wire wire = wire(WebSocketOptions.defaults().withLimits(1000, 1000), streaming);
    wire.receive(concat(frame(2, false, new byte[1000]), frame(0, true, new byte[1000])));
    assertThat(got.toString()).isEqualTo("1000,1000,0.");
    assertThat(wire.sent()).isEmpty();
  }

  static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
