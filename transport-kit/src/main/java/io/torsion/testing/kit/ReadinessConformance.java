package io.torsion.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.ReactorOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
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

  /**
   * Writes made while handling a read wait for the end of the read burst, and go in one system
   * call, except the first large one (16 KiB or more: an echo of a whole read, a chunk of a
   * stream), which goes at once, so that a stream's bytes do not wait here while its peer waits for
   * room in its window.
   */
  @Test
  default void theFirstLargeWriteOfAReadGoesAtOnceAndTheRestWaitForTheEndOfTheRead()
      throws Exception {
    int large = 16 * 1024;
    CompletableFuture<long[]> queued = new CompletableFuture<>();
    byte[] first = Kit.randomBytes(large, 1);
    byte[] small = Kit.randomBytes(100, 2);
    byte[] second = Kit.randomBytes(large, 3);
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        transport().write(ByteBuffer.wrap(first));
                        long afterFirst = transport().bufferedBytes();
                        transport().write(ByteBuffer.wrap(small));
                        long afterSmall = transport().bufferedBytes();
                        transport().write(ByteBuffer.wrap(second));
                        queued.complete(
                            new long[] {afterFirst, afterSmall, transport().bufferedBytes()});
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      peer.write("go");
      byte[] all = peer.read(first.length + small.length + second.length);
      long[] seen = Kit.await(queued);
      assertThat(seen[0])
          .as("queued after the first large write: the socket took it")
          .isLessThan(large);
      assertThat(seen[1])
          .as("after a small one: it waits (and what the transport counts per write)")
          .isGreaterThanOrEqualTo(seen[0] + small.length);
      assertThat(seen[2])
          .as("after the second large one: it waits")
          .isGreaterThanOrEqualTo(seen[1] + large);
      ByteBuffer expected =
          ByteBuffer.allocate(all.length).put(first).put(small).put(second).flip();
      assertThat(ByteBuffer.wrap(all))
          .as("everything, in order, by the end of the read")
          .isEqualTo(expected);
    }
  }
}
