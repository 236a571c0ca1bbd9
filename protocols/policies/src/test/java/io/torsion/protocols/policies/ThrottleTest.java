package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.PushProducer;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  private final Clock clock = new Clock();

  private StringTransport connect(Throttle throttle, Protocol inner) {
    StringTransport transport = new StringTransport();
    transport.connect(throttle.wrap(Factory.of(() -> inner)).buildProtocol(transport.getPeer()));
    return transport;
  }

  @Test
  void readingPastTheRatePausesTheConnectionUntilTheRateAllowsMore() {
    Throttle throttle = Throttle.builder(clock).readPerConnection(1000).build();
    StringTransport transport = connect(throttle, new Protocol() {});
    transport.receive(new byte[800]);
    assertThat(transport.paused()).as("within the burst").isFalse();
    transport.receive(new byte[2200]); // 2,000 bytes of debt: two seconds at 1,000 B/s
    assertThat(transport.paused()).isTrue();
    clock.advance(Duration.ofMillis(1999));
    assertThat(transport.paused()).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.paused()).isFalse();
    assertThat(throttle.readsThrottled()).isEqualTo(1);
  }

  @Test
  void writingPastTheRateHoldsWritesBackAndReleasesThemAtTheRate() {
    Throttle throttle = Throttle.builder(clock).writePerConnection(1000).build();
    List<Protocol> inner = new ArrayList<>();
    StringTransport transport =
        connect(
            throttle,
            new Protocol() {
              @Override
              public void connectionMade() {
                inner.add(this);
              }
            });
    Protocol protocol = inner.get(0);
    protocol.transport().write(new byte[1500]); // 500 bytes of debt
    protocol.transport().write(new byte[1000]);
    assertThat(transport.value()).hasSize(1500);
    assertThat(protocol.transport().bufferedBytes()).isEqualTo(1000);
    assertThat(transport.paused()).as("reads follow held writes").isTrue();
    clock.advance(Duration.ofMillis(500));
    assertThat(transport.value()).hasSize(2500);
    clock.advance(Duration.ofSeconds(1));
    assertThat(transport.paused()).isFalse();
    assertThat(protocol.transport().bufferedBytes()).isZero();
  }

  @Test
  void aPushProducerIsPausedWhileWritesAreHeldAndLoseConnectionWaitsForThem() {
    Throttle throttle = Throttle.builder(clock).writePerPort(1000).build();
    List<String> events = new ArrayList<>();
    StringTransport transport =
        connect(
            throttle,
            new Protocol() {
              @Override
              public void connectionMade() {
                transport()
                    .registerProducer(
                        new PushProducer() {
                          @Override
                          public void pauseProducing() {
                            events.add("pause");
                          }

                          @Override
                          public void resumeProducing() {
                            events.add("resume");
                          }

                          @Override
                          public void stopProducing() {
                            events.add("stop");
                          }
                        });
                transport().write(new byte[3000]);
                transport().write(ByteBuffer.wrap(new byte[10]));
                transport().unregisterProducer();
                transport().loseConnection();
              }
            });
    assertThat(events).containsExactly("pause");
    assertThat(transport.disconnecting()).as("waits for the held writes").isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(transport.value()).hasSize(3010);
    assertThat(transport.disconnecting()).isTrue();
  }
}
