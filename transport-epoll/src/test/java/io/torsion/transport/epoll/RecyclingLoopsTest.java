package io.torsion.transport.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every loop runs as a thread Netty pools its recycled objects on (see NettyLoop.drive): without
 * it, each queued write left an entry behind as garbage.
 */
class RecyclingLoopsTest {
  private static final int CONNECTIONS = 8;

  @Test
  void everyLoopThreadIsOneNettyRecyclesOnWhileTheReactorRuns() throws Exception {
    Reactor reactor =
        Reactor.create(ReactorOptions.builder().transport("epoll").threads(2).build());
    Map<String, Boolean> recyclingByThread = new ConcurrentHashMap<>();
    CountDownLatch made = new CountDownLatch(CONNECTIONS);
    List<Socket> clients = new ArrayList<>();
    try (BackgroundReactor running = BackgroundReactor.start(reactor)) {
      int port =
          running.call(
              () ->
                  reactor
                      .listenTCP(
                          0,
                          "127.0.0.1",
                          Factory.of(
                              () ->
                                  new Protocol() {
                                    @Override
                                    public void connectionMade() {
                                      recyclingByThread.merge(
                                          Thread.currentThread().getName(),
                                          FastThreadLocalThread
                                              .currentThreadWillCleanupFastThreadLocals(),
                                          Boolean::logicalAnd);
                                      made.countDown();
                                    }
                                  }))
                      .port());
      for (int i = 0; i < CONNECTIONS; i++) {
        Socket client = new Socket();
        clients.add(client);
        client.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      }
      assertThat(made.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(recyclingByThread).hasSize(2).doesNotContainValue(false);
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }
}
