package io.torsion.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.ReactorOptions;
import org.junit.jupiter.api.Test;

/**
 * What a readiness transport (epoll, kqueue, NIO: a flush writes to the socket at once) shows
 * beyond the kit: a connection does not stop reading for output that the socket took at once. Not
 * part of {@link TransportConformanceKit}: a completion transport (io_uring, IOCP, the in-memory
 * one) holds what it flushed until the write completes. A readiness transport's test adds it:
 *
 * <pre>{@code
 * class EpollConformanceTest extends TransportConformanceKit implements ReadinessConformance {
 *     protected String transportName() { return "epoll"; }
 * }
 * }</pre>
 */
public interface ReadinessConformance extends KitContext {
  @Test
  default void anEchoWhosePeerReadsEverythingNeverHoldsReadsThoughEachReadPassesTheHighWatermark()
      throws Exception {
    ReactorOptions small = options().toBuilder().writeBufferWatermarks(1024, 2048).build();
    try (BackgroundReactor own = BackgroundReactor.start(newReactor(small))) {
      int port =
          own.call(
              () ->
                  own.reactor()
                      .listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true)))
                      .port());
      byte[] chunk = new byte[8 * 1024]; // four times the high watermark, a fraction of a socket
      try (Peer peer = Peer.connect(port)) {
        for (int i = 0; i < 100; i++) {
          peer.write(chunk);
          assertThat(peer.read(chunk.length)).hasSize(chunk.length);
        }
      }
      assertThat(own.call(() -> own.reactor().stats().pausedForBackpressure()))
          .as(
              "times reading was held: the echo's writes are judged once flushed, and the socket took them")
          .isZero();
    }
  }
}
