package io.torsion.protocols.websocket;

import static io.torsion.protocols.websocket.Wire.concat;
import static io.torsion.protocols.websocket.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.protocols.websocket.Wire.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same rules on the client side of a connection (the test scripts the server: unmasked frames
 * in, masked frames out), each case at every split of its bytes: a client must mask what it sends,
 * refuse masked frames, and after the closing handshake wait for the server to close TCP.
 */
class ClientRoleConformanceTest {

  private static byte[] serverFrame(int opcode, boolean fin, byte[] payload) {
    return Wire.frame(opcode, fin, payload, false);
  }

  private static void atEverySplit(byte[] bytes, Consumer<Wire> check) {
    for (int at = 0; at <= bytes.length; at++) {
      Wire wire = Wire.client(WebSocketOptions.defaults());
      wire.transport.receiveSplit(bytes, at);
      check.accept(wire);
    }
  }

  @Test
  void messagesFragmentsAndPingsArriveAtEverySplitAndWhatTheClientSendsIsMasked() {
    byte[] bytes =
        concat(
            serverFrame(1, false, utf8("κόσ")),
            serverFrame(9, true, utf8("ping")),
            serverFrame(0, true, utf8("με")),
            serverFrame(2, true, new byte[300]));
    atEverySplit(
        bytes,
        wire -> {
          assertThat(wire.app.events).containsExactly("open", "text:κόσμε", "binary:300");
          byte[] raw = wire.transport.value();
          assertThat(raw[1] & 0x80).as("the first frame's mask bit").isEqualTo(0x80);
          List<Frame> sent = wire.sent(); // parsed as a server does, which requires masking
          assertThat(sent).extracting(Frame::opcode).containsExactly(10, 1, 2);
          assertThat(sent.get(0).text()).isEqualTo("ping");
        });
  }

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x20, 0x10})
  void reservedBitsMaskedFramesAndBadUtf8AreRefusedByAClientToo(int bits) {
    byte[] reserved = serverFrame(1, true, utf8("x"));
    reserved[0] |= (byte) bits;
    atEverySplit(reserved, wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    atEverySplit(
        Wire.frame(1, true, utf8("masked"), true),
        wire -> assertThat(wire.closeCode()).isEqualTo(1002));
    atEverySplit(
        serverFrame(1, true, FramingConformanceTest.hex("cebae1bdb9cfbcceb5eda080")),
        wire -> assertThat(wire.closeCode()).isEqualTo(1007));
  }

  @Test
  void afterTheServersCloseTheClientEchoesItAndWaitsForTheServerToCloseTcp() {
    ByteBuffer close = ByteBuffer.allocate(4).putShort((short) 1001).put(utf8("go"));
    atEverySplit(
        serverFrame(8, true, close.array()),
        wire -> {
          assertThat(wire.closeCode()).isEqualTo(1001);
          assertThat(wire.closedTcp()).as("a client leaves the TCP close to the server").isFalse();
          wire.peerCloses();
          assertThat(wire.app.closed).isEqualTo(new CloseStatus(1001, "go", true));
        });
    Wire stubborn = Wire.client(WebSocketOptions.defaults());
    stubborn.receive(serverFrame(8, true, new byte[0]));
    stubborn.clock.advance(Duration.ofSeconds(5));
    assertThat(stubborn.transport.aborted()).as("dropped after the close timeout").isTrue();
  }
}
