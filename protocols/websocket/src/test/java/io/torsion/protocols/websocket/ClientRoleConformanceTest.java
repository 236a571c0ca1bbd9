package io.torsion.protocols.websocket;

import static io.torsion.protocols.websocket.Wire.concat;
import static io.torsion.protocols.websocket.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.protocols.websocket.Wire.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The framing suite against the client side of a connection (the test scripts the server: plain
 * frames in, masked frames out), and what only a client does: mask what it sends, and after the
 * closing handshake wait for the server to close TCP.
 */
class ClientRoleConformanceTest extends FramingConformance {

  @Override
  boolean client() {
    return true;
  }

  private static byte[] serverFrame(int opcode, boolean fin, byte[] payload) {
    return Wire.frame(opcode, fin, payload, false);
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
