package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.recorders;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.ReactorStats;
import io.torsion.posix.FileDescriptorLimit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of running out of file descriptors: accepting pauses and recovers by
 * itself (POSIX only).
 */
public interface FileDescriptorConformance extends KitContext {

  /**
   * Exhausts the process's file descriptors for real: lowers the soft limit to a little above what
   * is open (before the reactor under test is created, as io_uring applies the limit it saw then),
   * fills every free descriptor, and has clients connect, so that the server's accept fails with
   * EMFILE. Existing connections must keep working, the failure must be logged once and retried
   * with back-off (not in a busy loop), and accepting must resume by itself once descriptors free.
   */
  @Test
  default void runningOutOfFileDescriptorsPausesAcceptingAndRecoversByItself() throws Exception {
    Assumptions.assumeTrue(
        FileDescriptorLimit.read().isPresent() && FileDescriptorLimit.openDescriptors() >= 0,
        "RLIMIT_NOFILE cannot be changed or descriptors counted on this platform");
    FileDescriptorLimit.raiseToHardLimit(); // the one raise per process happens now, not mid-test
    long soft = FileDescriptorLimit.read().orElseThrow().soft();
    AcceptLog log = AcceptLog.attach();
    List<SocketChannel> waiting = new ArrayList<>();
    List<SocketChannel> fillers = new ArrayList<>();
    FileDescriptorLimit.setSoftLimit(Math.min(soft, FileDescriptorLimit.openDescriptors() + 500L));
    try (BackgroundReactor own = BackgroundReactor.start(newReactor())) {
      int port =
          own.call(
              () ->
                  own.reactor()
                      .listenTCP(0, "127.0.0.1", recorders(new LinkedBlockingQueue<>(), true))
                      .port());
      InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      try (Peer existing = Peer.connect(port)) {
        existing.write("a");
        assertThat(existing.readUtf8(1)).isEqualTo("a");
        for (int i = 0; i < 3; i++) {
          waiting.add(SocketChannel.open()); // their descriptors exist before the table fills
        }
        try {
          for (int i = 0; i < 100_000; i++) {
            fillers.add(SocketChannel.open()); // take every descriptor still free below the limit
          }
        } catch (IOException exhausted) {
          // no descriptor left for the server's accept
        }
        try {
          for (SocketChannel client : waiting) {
            client.connect(server); // the kernel completes the handshake; accept() will fail
          }
          assertThat(log.firstWarning.await(WAIT_SECONDS, TimeUnit.SECONDS))
              .as("a warning when accept fails")
              .isTrue();
          existing.write("b");
          assertThat(existing.readUtf8(1)).as("existing connections keep working").isEqualTo("b");
          // Stay out of descriptors for a fixed window: a back-off retries a handful of times in
          // it, a busy loop thousands. (An observation window, not synchronisation.)
          CompletableFuture<Void> window = new CompletableFuture<>();
          own.execute(
              () -> own.reactor().callLater(Duration.ofMillis(300), () -> window.complete(null)));
          await(window);
        } finally {
          for (SocketChannel filler : fillers) {
            filler.close();
          }
          FileDescriptorLimit.setSoftLimit(soft);
        }
        for (SocketChannel client : waiting) {
          client.write(ByteBuffer.wrap(new byte[] {'w'}));
          client.socket().setSoTimeout((int) Peer.READ_TIMEOUT.toMillis());
          assertThat(client.socket().getInputStream().read())
              .as("accepted once descriptors are free")
              .isEqualTo('w');
        }
        // One warning per burst of failures, and each burst ends with one "accepting again" line.
        // (A
        // descriptor the JVM frees for a moment lets one accept through and starts a new burst.)
        assertThat(log.warnings.get()).as("a warning").isPositive();
        assertThat(log.warnings.get()).as("one warning per burst").isEqualTo(log.recoveries.get());
        assertThat(log.failedAttempts.get())
            .as("failed attempts in 300 ms: back-off, not a busy loop")
            .isLessThan(50);
        // The reactor's counters, which metrics publish, saw the same.
        ReactorStats stats = own.call(() -> own.reactor().stats());
        assertThat(stats.acceptErrors()).as("accept errors counted").isPositive();
        assertThat(stats.acceptBackoffs())
            .as("back-offs counted")
            .isPositive()
            .isLessThanOrEqualTo(stats.acceptErrors());
        assertThat(stats.connectionsOpened()).as("connections opened").isGreaterThanOrEqualTo(2);
      }
    } finally {
      for (SocketChannel client : waiting) {
        client.close();
      }
      FileDescriptorLimit.setSoftLimit(soft);
      log.detach();
    }
  }
}
