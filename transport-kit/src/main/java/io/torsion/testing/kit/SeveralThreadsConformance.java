package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.recorders;
import static io.torsion.testing.kit.Kit.take;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.ConnectionDone;
import io.torsion.Reactor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of several threads: connections pinned to one thread and spread over
 * all, timers and stopping.
 */
public interface SeveralThreadsConformance extends KitContext {

  @Test
  default void withSeveralThreadsEachConnectionStaysOnOneThreadAndConnectionsSpreadOverAll()
      throws Exception {
    int threads = 3;
    int connections = 30;
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    try (BackgroundReactor own =
        BackgroundReactor.start(newReactor(options().toBuilder().threads(threads).build()))) {
      assertThat(own.reactor().report().details())
          .anyMatch(detail -> detail.startsWith("threads: " + threads));
      int port =
          own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", recorders(built, true)).port());
      List<Peer> peers = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          Peer peer = Peer.connect(port);
          peers.add(peer);
          peer.write("x");
          assertThat(peer.readUtf8(1)).isEqualTo("x");
        }
      } finally {
        for (Peer peer : peers) {
          peer.close();
        }
      }
      Set<Thread> used = new HashSet<>();
      for (int i = 0; i < connections; i++) {
        Recorder server = take(built);
        await(server.lost);
        assertThat(new HashSet<>(server.threads)).as("one connection, one thread").hasSize(1);
        used.addAll(server.threads);
      }
      assertThat(used)
          .as("threads that served connections")
          .hasSizeGreaterThan(1)
          .hasSizeLessThanOrEqualTo(threads);
    }
  }

  @Test
  default void withSeveralThreadsTimersRunOnTheSchedulingThreadAndCallFromThreadOnTheMainThread()
      throws Exception {
    BlockingQueue<Thread> timerThreads = new LinkedBlockingQueue<>();
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    try (BackgroundReactor own =
        BackgroundReactor.start(newReactor(options().toBuilder().threads(2).build()))) {
      Reactor reactor = own.reactor();
      int port =
          own.call(
              () ->
                  reactor
                      .listenTCP(
                          0,
                          "127.0.0.1",
                          peer -> {
                            Recorder recorder =
                                new Recorder(true) {
                                  @Override
                                  public void dataReceived(ByteBuffer data) {
                                    if (data.get(data.position()) == 't') {
                                      reactor.callLater(
                                          Duration.ZERO,
                                          () -> timerThreads.add(Thread.currentThread()));
                                    }
                                    super.dataReceived(data);
                                  }
                                };
                            built.add(recorder);
                            return recorder;
                          })
                      .port());
      List<Peer> peers = new ArrayList<>();
      try {
        Peer onWorker = null;
        Thread worker = null;
        for (int i = 0; i < 16 && onWorker == null; i++) {
          Peer peer = Peer.connect(port);
          peers.add(peer);
          peer.write("x");
          peer.read(1);
          Thread served = take(built).threads.get(0);
          if (served != own.thread()) {
            onWorker = peer;
            worker = served;
          }
        }
        assertThat(onWorker).as("a connection served by the worker thread").isNotNull();
        onWorker.write("t");
        onWorker.read(1);
        assertThat(take(timerThreads))
            .as("a timer runs on the thread that scheduled it")
            .isSameAs(worker);
        CompletableFuture<Thread> hop = new CompletableFuture<>();
        reactor.callFromThread(() -> hop.complete(Thread.currentThread()));
        assertThat(await(hop)).as("callFromThread runs on the main thread").isSameAs(own.thread());
      } finally {
        for (Peer peer : peers) {
          peer.close();
        }
      }
    }
  }

  @Test
  default void withSeveralThreadsStopClosesEveryConnectionAndEndsTheWorkers() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    BackgroundReactor own =
        BackgroundReactor.start(newReactor(options().toBuilder().threads(3).build()));
    int port =
        own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", recorders(built, true)).port());
    List<Peer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 9; i++) {
        Peer peer = Peer.connect(port);
        peers.add(peer);
        peer.write("x");
        peer.read(1);
      }
      Set<Thread> workers = new HashSet<>();
      List<Recorder> servers = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        Recorder server = take(built);
        servers.add(server);
        workers.add(server.threads.get(0));
      }
      own.close();
      for (Peer peer : peers) {
        assertThat(peer.drainUntilClosed()).isZero();
      }
      for (Recorder server : servers) {
        assertThat(await(server.lost)).isInstanceOf(ConnectionDone.class);
      }
      for (Thread thread : workers) {
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(thread.isAlive()).as("%s ended", thread.getName()).isFalse();
      }
    } finally {
      for (Peer peer : peers) {
        peer.close();
      }
    }
  }
}
