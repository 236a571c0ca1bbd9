package io.torsion.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StringTransportTest {
  /** Records its events; closes when it receives "q". */
  static final class Probe extends Protocol implements HalfCloseableProtocol {
    final List<String> events = new ArrayList<>();

    @Override
    public void connectionMade() {
      events.add("made");
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      String text = StandardCharsets.UTF_8.decode(data).toString();
      events.add("data:" + text);
      if (text.equals("q")) {
        transport().loseConnection();
        events.add("after loseConnection");
      }
    }

    @Override
    public void readConnectionLost() {
      events.add("half-closed");
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      events.add("lost:" + reason.getClass().getSimpleName());
    }
  }

  @Test
  void recordsWritesAndDeliversConnectionLostAfterTheCallbackReturns() {
    StringTransport transport = new StringTransport();
    Probe probe = transport.connect(new Probe());
    probe.transport().write("hi");
    transport.receive("q");
    assertThat(probe.events)
        .containsExactly("made", "data:q", "after loseConnection", "lost:ConnectionDone");
    assertThat(transport.valueUtf8()).isEqualTo("hi");
    assertThat(transport.disconnecting()).isTrue();
    probe.transport().write("dropped after close");
    assertThat(transport.valueUtf8()).isEqualTo("hi");
  }

  @Test
  void abortReportsConnectionAborted() {
    StringTransport transport = new StringTransport();
    Probe probe = transport.connect(new Probe());
    probe.transport().abortConnection();
    assertThat(transport.aborted()).isTrue();
    assertThat(probe.events).containsExactly("made", "lost:ConnectionAborted");
  }

  @Test
  void splitsInputAsAsked() {
    StringTransport transport = new StringTransport();
    Probe probe = transport.connect(new Probe());
    transport.receiveSplit("abc".getBytes(StandardCharsets.UTF_8), 1);
    transport.receiveByteByByte("de".getBytes(StandardCharsets.UTF_8));
    assertThat(probe.events).containsExactly("made", "data:a", "data:bc", "data:d", "data:e");
  }

  @Test
  void peerEventsReachTheProtocol() {
    StringTransport transport = new StringTransport();
    Probe probe = transport.connect(new Probe());
    transport.peerHalfClose();
    transport.peerClose(new ConnectionDone("bye")); // its end of stream came with the half-close
    assertThat(probe.events)
        .as("a half-closeable protocol stays open, as on a socket")
        .containsExactly("made", "half-closed");
    probe.transport().loseConnection();
    transport.peerClose(new ConnectionAborted("twice", null)); // after the close: nothing happens
    assertThat(probe.events).containsExactly("made", "half-closed", "lost:ConnectionDone");
  }

  @Test
  void tracksPausingAndClearing() {
    StringTransport transport = new StringTransport();
    Probe probe = transport.connect(new Probe());
    probe.transport().pauseProducing();
    assertThat(transport.paused()).isTrue();
    probe.transport().resumeProducing();
    assertThat(transport.paused()).isFalse();
    probe.transport().write(new byte[] {1, 2});
    transport.clear();
    assertThat(transport.value()).isEmpty();
  }
}
