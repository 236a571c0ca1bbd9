package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.ConnectionDone;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {
  private final Clock clock = new Clock();
  private final IdleTimeout timeout = IdleTimeout.of(clock, Duration.ofSeconds(10));

  private StringTransport connect(Protocol inner) {
    StringTransport transport = new StringTransport();
    transport.connect(timeout.wrap(Factory.of(() -> inner)).buildProtocol(transport.getPeer()));
    return transport;
  }

  @Test
  void aQuietConnectionIsClosedWithAReasonWhenTheTimeoutRunsOut() {
    StringTransport transport = connect(new Protocol() {});
    clock.advance(Duration.ofMillis(9_999));
    assertThat(transport.disconnecting()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.disconnecting()).isTrue();
    assertThat(transport.closeReason()).contains("idle for PT10S");
    assertThat(timeout.timedOut()).isEqualTo(1);
  }

  @Test
  void trafficEitherWayStartsTheWaitAgain() {
    StringTransport transport =
        connect(
            new Protocol() {
              @Override
              public void dataReceived(ByteBuffer data) {
                if (data.get(0) == 'w') {
                  transport().write("reply");
                }
              }
            });
    clock.advance(Duration.ofSeconds(8));
    transport.receive("r");
    clock.advance(Duration.ofSeconds(8));
    assertThat(transport.disconnecting()).as("8 s after a read").isFalse();
    transport.receive("w");
    clock.advance(Duration.ofSeconds(9));
    assertThat(transport.disconnecting()).as("9 s after a write").isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(transport.disconnecting()).isTrue();
  }

  static final class Patient extends Protocol implements IdleTimeout.Handler {
    final List<Duration> told = new ArrayList<>();

    @Override
    public void idleTimedOut(Duration idle) {
      told.add(idle);
      if (told.size() == 2) {
        transport().loseConnection("bored");
      }
    }
  }

  @Test
  void aProtocolThatHandlesTheTimeoutDecidesAndTheWaitStartsAgainIfItStaysOpen() {
    Patient patient = new Patient();
    StringTransport transport = connect(patient);
    clock.advance(Duration.ofSeconds(10));
    assertThat(patient.told).containsExactly(Duration.ofSeconds(10));
    assertThat(transport.disconnecting()).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(transport.closeReason()).isEqualTo("bored");
    assertThat(timeout.timedOut()).isEqualTo(2);
  }

  @Test
  void noTimerIsLeftOnceTheConnectionIsLost() {
    StringTransport transport = connect(new Protocol() {});
    transport.peerClose(new ConnectionDone("bye"));
    assertThat(clock.pendingCalls()).isZero();
  }
}
