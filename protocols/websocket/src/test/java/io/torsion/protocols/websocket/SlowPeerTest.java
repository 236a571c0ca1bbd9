package io.torsion.protocols.websocket;

import static io.torsion.protocols.websocket.Wire.clientFrame;
import static io.torsion.protocols.websocket.Wire.concat;
import static io.torsion.protocols.websocket.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Slow peers on the deterministic clock: a frame or message in progress must arrive at {@link
 * WebSocketOptions#minMessageRate()} over each window, or the connection is closed with 1008; a
 * peer that is merely quiet between messages, or slow but above the rate, is left alone.
 */
class SlowPeerTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void aFrameSentOneBytePerSecondIsClosedWith1008() {
    Wire wire = Wire.server();
    wire.sent();
    byte[] frame = clientFrame(1, utf8("a message that never seems to end"));
    int sent = 0;
    while (!wire.closedTcp() && sent < frame.length) {
      wire.receive(new byte[] {frame[sent++]});
      wire.clock.advance(SECOND);
    }
    assertThat(sent).isBetween(WebSocketOptions.RATE_WINDOW_SECONDS, frame.length - 1);
    assertThat(wire.closeCode()).isEqualTo(CloseStatus.POLICY_VIOLATION);
    assertThat(wire.closedTcp()).isTrue();
    assertThat(wire.app.events).containsExactly("open", "close:1006:unclean");
  }

  @Test
  void aMessageOfOneByteFragmentsOncePerSecondIsClosedWith1008() {
    Wire wire = Wire.server();
    wire.sent();
    wire.receive(clientFrame(1, false, utf8("x")));
    for (int i = 0; i < 2 * WebSocketOptions.RATE_WINDOW_SECONDS; i++) {
      wire.clock.advance(SECOND);
      if (wire.closedTcp()) {
        break;
      }
      wire.receive(clientFrame(0, false, utf8("x")));
    }
    assertThat(wire.closeCode()).isEqualTo(CloseStatus.POLICY_VIOLATION);
    assertThat(wire.app.events).containsExactly("open", "close:1006:unclean");
  }

  @Test
  void aPeerQuietBetweenMessagesOrSlowButAboveTheRateIsLeftAlone() {
    Wire wire = Wire.server(WebSocketOptions.defaults().withKeepAlive(Duration.ZERO, SECOND));
    wire.sent();
    wire.receive(clientFrame(1, utf8("first")));
    wire.clock.advance(Duration.ofMinutes(10)); // nothing in progress: no rate to keep
    assertThat(wire.sent()).extracting(Wire.Frame::text).containsExactly("first");
    assertThat(wire.closedTcp()).isFalse();

    byte[] payload = new byte[30_000];
    Arrays.fill(payload, (byte) 'z');
    byte[] frame = clientFrame(2, payload);
    for (int at = 0; at < frame.length; at += 1_100) { // 1,100 bytes/s, over the 1,024 asked
      wire.receive(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 1_100)));
      wire.clock.advance(SECOND);
    }
    assertThat(wire.closedTcp()).isFalse();
    assertThat(wire.app.events).containsExactly("open", "text:first", "binary:30000");
    wire.clock.advance(Duration.ofMinutes(10));
    assertThat(wire.closedTcp()).isFalse();
  }

  @Test
  void aRateOfZeroTurnsTheCheckOff() {
    Wire wire = Wire.server(WebSocketOptions.defaults().withMinMessageRate(0));
    wire.sent();
    byte[] frame = clientFrame(1, utf8("slowly"));
    for (byte b : frame) {
      wire.receive(new byte[] {b});
      wire.clock.advance(Duration.ofSeconds(20));
    }
    assertThat(wire.closedTcp()).isFalse();
    assertThat(wire.app.events).containsExactly("open", "text:slowly");
  }

  @Test
  void theRateIsCheckedFromTheFirstByteOfEachFrameAndStopsWithTheClose() {
    Wire wire = Wire.server();
    wire.sent();
    // a header split across a quiet window is a frame in progress
    byte[] ping = clientFrame(9, utf8("p"));
    wire.receive(Arrays.copyOf(ping, 1));
    wire.clock.advance(Duration.ofSeconds(WebSocketOptions.RATE_WINDOW_SECONDS));
    assertThat(wire.closeCode()).isEqualTo(CloseStatus.POLICY_VIOLATION);

    Wire closing = Wire.server();
    closing.sent();
    closing.receive(concat(Wire.close(1000, utf8("bye")), Arrays.copyOf(ping, 1)));
    assertThat(closing.closeCode()).isEqualTo(1000);
    closing.clock.advance(Duration.ofSeconds(60)); // bytes after the peer's close do not count
    assertThat(closing.sent()).isEmpty();
  }

  @Test
  void aDeclaredLengthCostsNothingUntilItsBytesArrive() {
    Wire wire = Wire.server(WebSocketOptions.defaults().withLimits(4 << 20, 4 << 20));
    wire.sent();
    byte[] payload = new byte[3 << 20];
    Arrays.fill(payload, (byte) 7);
    byte[] frame = clientFrame(2, payload);
    wire.receive(Arrays.copyOf(frame, 64)); // a 3 MiB frame declared, 50 bytes of it sent
    assertThat(wire.connection().heldForMessage()).isLessThanOrEqualTo(16 * 1024);
    for (int at = 64; at < frame.length; at += 256 * 1024) {
      int received = Math.min(frame.length, at + 256 * 1024);
      wire.receive(Arrays.copyOfRange(frame, at, received));
      if (received < frame.length) {
        assertThat(wire.connection().heldForMessage())
            .as("held after %d bytes", received)
            .isLessThanOrEqualTo(4 * received);
      }
    }
    assertThat(wire.app.events).containsExactly("open", "binary:" + payload.length);
    assertThat(wire.connection().heldForMessage()).isZero();
  }
}
