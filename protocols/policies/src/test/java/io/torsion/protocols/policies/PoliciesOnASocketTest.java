package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.testing.Clock;
import io.torsion.testing.kit.Peer;
import io.torsion.testing.kit.Recorder;
import io.torsion.testing.kit.TransportUnderTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The policies on a real reactor and real sockets, composed, on every transport. */
@Timeout(60)
class PoliciesOnASocketTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.torsion.testing.kit.TransportUnderTest#all")
  void limitsAndAnIdleTimeoutComposeOnARealPort(TransportUnderTest transport) throws Exception {
    try (BackgroundReactor background =
        BackgroundReactor.start(transport.newReactor(ReactorOptions.defaults()))) {
      Reactor reactor = background.reactor();
      ConnectionLimits limits =
          ConnectionLimits.builder().maxPerPeer(2).refusal("ERROR too many\r\n").build();
      Clock clock =
          new Clock(); // moved on the reactor thread: the timeout fires when the test says
      IdleTimeout idle = IdleTimeout.of(clock, Duration.ofMillis(200));
      int port =
          background.call(
              () ->
                  reactor
                      .listenTCP(
                          0,
                          "127.0.0.1",
                          limits.wrap(idle.wrap(Factory.of(() -> new Recorder(true)))))
                      .port());
      try (Peer first = Peer.connect(port);
          Peer second = Peer.connect(port)) {
        first.write("one");
        assertThat(first.readUtf8(3)).isEqualTo("one");
        second.write("two");
        assertThat(second.readUtf8(3)).isEqualTo("two");
        try (Peer third = Peer.connect(port)) {
          assertThat(new String(third.readToEnd(), StandardCharsets.UTF_8))
              .isEqualTo("ERROR too many\r\n");
        }
        // Both go quiet: the idle timeout closes them.
        background.call(
            () -> {
              clock.advance(Duration.ofMillis(200));
              return null;
            });
        assertThat(first.drainUntilClosed()).isZero();
        assertThat(second.drainUntilClosed()).isZero();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (background.call(limits::open) > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // each call is a round trip through the reactor thread
      }
      assertThat(limits.open()).isZero();
      assertThat(limits.refused()).isEqualTo(1);
      assertThat(idle.timedOut()).isEqualTo(2);
      try (Peer again = Peer.connect(port)) {
        again.write("back");
        assertThat(again.readUtf8(4))
            .as("places are free once the idle ones closed")
            .isEqualTo("back");
      }
    }
  }
}
