package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.randomBytes;
import static io.torsion.testing.kit.Kit.recorders;
import static io.torsion.testing.kit.Kit.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of connections: echo of every size, closing (clean, with a reason,
 * aborted, half-closed), switching protocols, exceptions contained to their connection, the thread
 * of every callback, and connections at shutdown.
 */
public interface ConnectionConformance extends KitContext {
  /** Concurrent connections held open by {@link #servesManyConcurrentConnections()}. */
  int CONCURRENT_CONNECTIONS = 2000;

  @Test
  default void echoesBytesBackOnOneConnection() throws Exception {
    int port = listen(recorders(new LinkedBlockingQueue<>(), true));
    try (Peer peer = Peer.connect(port)) {
      peer.write("hello");
      assertThat(peer.readUtf8(5)).isEqualTo("hello");
    }
  }

  @Test
  default void echoesEverySizeFromOneByteTo16MiB() throws Exception {
    int port = listen(recorders(new LinkedBlockingQueue<>(), true));
    for (int size : new int[] {1, 2, 1000, 64 * 1024 + 1, 1024 * 1024, 16 * 1024 * 1024}) {
      byte[] sent = randomBytes(size, size);
      try (Peer peer = Peer.connect(port)) {
        CompletableFuture<Void> writer =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    peer.write(sent);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
        byte[] received = peer.read(size);
        await(writer);
        assertThat(Arrays.equals(received, sent)).as("%d bytes echoed intact", size).isTrue();
      }
    }
  }

  @Test
  default void aReadWrittenToAnotherConnectionArrivesIntact() throws Exception {
    // A relay, as a proxy is one: the first connection only receives; whatever the second one
    // reads is written, while it is lent, to the first one's transport.
    AtomicReference<Protocol> sink = new AtomicReference<>();
    BlockingQueue<Protocol> made = new LinkedBlockingQueue<>();
    int port =
        listen(
            peer ->
                new Protocol() {
                  @Override
                  public void connectionMade() {
                    sink.compareAndSet(null, this);
                    made.add(this);
                  }

                  @Override
                  public void dataReceived(ByteBuffer data) {
                    if (sink.get() != this) {
                      sink.get().transport().write(data);
                    }
                  }
                });
    byte[] sent = randomBytes(4 * 1024 * 1024 + 3, 7);
    try (Peer receiver = Peer.connect(port)) {
      take(made);
      try (Peer sender = Peer.connect(port)) {
        take(made);
        CompletableFuture<Void> writer =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    sender.write(sent);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
        byte[] received = receiver.read(sent.length);
        await(writer);
        assertThat(Arrays.equals(received, sent)).as("relayed bytes intact").isTrue();
      }
    }
  }

  @Test
  default void writeSequenceStringsAndArraysArriveInOrder() throws Exception {
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        transport().write("a");
                        transport()
                            .writeSequence(
                                List.of(
                                    ByteBuffer.wrap(new byte[] {'b'}),
                                    ByteBuffer.wrap(new byte[] {'c', 'd'})));
                        transport().write(new byte[] {'e'});
                        transport().write(ByteBuffer.allocateDirect(1).put((byte) 'f').flip());
                        transport().write("\u00e9");
                        transport().loseConnection();
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("abcdef\u00e9");
    }
  }

  @Test
  default void servesManyConcurrentConnections() throws Exception {
    AtomicInteger made = new AtomicInteger();
    int port =
        listen(
            peer -> {
              made.incrementAndGet();
              return new Recorder(true);
            });
    List<SocketChannel> clients = new ArrayList<>();
    try {
      InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      for (int i = 0; i < CONCURRENT_CONNECTIONS; i++) {
        clients.add(SocketChannel.open(server));
      }
      for (int i = 0; i < clients.size(); i++) {
        clients
            .get(i)
            .write(ByteBuffer.wrap(String.format("%08d", i).getBytes(StandardCharsets.US_ASCII)));
      }
      for (int i = 0; i < clients.size(); i++) {
        ByteBuffer reply = ByteBuffer.allocate(8);
        SocketChannel client = clients.get(i);
        client.socket().setSoTimeout((int) Peer.READ_TIMEOUT.toMillis());
        while (reply.hasRemaining()) {
          assertThat(client.read(reply)).as("connection %d open", i).isNotNegative();
        }
        assertThat(new String(reply.array(), StandardCharsets.US_ASCII))
            .isEqualTo(String.format("%08d", i));
      }
      assertThat(made.get()).isEqualTo(CONCURRENT_CONNECTIONS);
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  @Test
  default void loseConnectionFlushesPendingWritesFirst() throws Exception {
    int size = 8 * 1024 * 1024;
    byte[] payload = randomBytes(size, 7);
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        transport().write(payload);
                        transport().loseConnection();
                        transport().write("ignored after loseConnection");
                      }

                      @Override
                      public void connectionLost(ConnectionClosed why) {
                        reason.complete(why);
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      byte[] received = peer.readToEnd();
      assertThat(received.length).isEqualTo(size);
      assertThat(Arrays.equals(received, payload)).isTrue();
    }
    assertThat(await(reason)).isInstanceOf(ConnectionDone.class);
  }

  @Test
  default void loseConnectionWithAReasonFlushesAndReportsIt() throws Exception {
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        transport().write("ERROR bad input\r\n");
                        transport().loseConnection("bad input from the peer");
                      }

                      @Override
                      public void connectionLost(ConnectionClosed why) {
                        reason.complete(why);
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      peer.write("garbage");
      assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8))
          .isEqualTo("ERROR bad input\r\n");
    }
    assertThat(await(reason))
        .isInstanceOf(ConnectionLost.class)
        .hasMessage("bad input from the peer");
  }

  @Test
  default void switchProtocolHandsTheConnectionAndUnconsumedBytesToTheNextProtocol()
      throws Exception {
    CompletableFuture<String> firstLost = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        // "SWITCH\n" then anything: everything after the newline goes to an echo
                        // protocol.
                        int newline = -1;
                        for (int i = data.position(); i < data.limit(); i++) {
                          if (data.get(i) == '\n') {
                            newline = i;
                            break;
                          }
                        }
                        if (newline >= 0) {
                          data.position(newline + 1);
                          transport().switchProtocol(new Recorder(true), data);
                        }
                      }

                      @Override
                      public void connectionLost(ConnectionClosed reason) {
                        firstLost.complete("the first protocol heard connectionLost");
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      peer.write("SWITCH\nabc");
      assertThat(peer.readUtf8(3))
          .as("the unconsumed bytes, echoed by the next protocol")
          .isEqualTo("abc");
      peer.write("def");
      assertThat(peer.readUtf8(3)).isEqualTo("def");
    }
    assertThat(firstLost).as("the first protocol hears nothing after the switch").isNotDone();
  }

  @Test
  default void abortConnectionDropsPendingWrites() throws Exception {
    int size = 8 * 1024 * 1024; // under the write buffer limit, so abortConnection is what closes
    assertThat((long) size).isLessThan(options().writeBufferLimit());
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        transport().write(new byte[size]);
                        transport().abortConnection();
                      }

                      @Override
                      public void connectionLost(ConnectionClosed why) {
                        reason.complete(why);
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      assertThat(await(reason))
          .isInstanceOf(ConnectionAborted.class)
          .hasMessageContaining("aborted by this side");
      assertThat(peer.drainUntilClosed())
          .as("the peer sees the end, with part of the data")
          .isLessThan(size);
    }
  }

  @Test
  default void peerHalfCloseReachesAHalfCloseableProtocol() throws Exception {
    final class Counting extends Protocol implements HalfCloseableProtocol {
      private int count;

      @Override
      public void dataReceived(ByteBuffer data) {
        count += data.remaining();
      }

      @Override
      public void readConnectionLost() {
        transport().write("got " + count + " bytes");
        transport().loseConnection();
      }
    }
    int port = listen(Factory.of(Counting::new));
    try (Peer peer = Peer.connect(port)) {
      peer.write("abc");
      peer.shutdownOutput();
      assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("got 3 bytes");
    }
  }

  @Test
  default void peerHalfCloseClosesAnOrdinaryProtocolAfterFlushing() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    try (Peer peer = Peer.connect(port)) {
      peer.write("last words");
      peer.shutdownOutput();
      assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("last words");
    }
    assertThat(await(take(built).lost)).isInstanceOf(ConnectionDone.class);
  }

  @Test
  default void loseWriteConnectionHalfClosesTowardsThePeer() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        transport().write("bye");
                        transport().loseWriteConnection();
                      }

                      @Override
                      public void dataReceived(ByteBuffer data) {
                        received.add(StandardCharsets.UTF_8.decode(data).toString());
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("bye");
      peer.write("x");
      assertThat(take(received)).isEqualTo("x");
    }
  }

  @Test
  default void peerCloseIsReportedAsConnectionDone() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, false));
    Peer.connect(port).close();
    ConnectionClosed reason = await(take(built).lost);
    assertThat(reason).isInstanceOf(ConnectionDone.class);
    assertThat(reason.isClean()).isTrue();
  }

  @Test
  default void peerResetIsReportedAsConnectionLost() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    Peer peer = Peer.connect(port);
    peer.write("x");
    peer.read(1);
    peer.reset();
    ConnectionClosed reason = await(take(built).lost);
    assertThat(reason).isInstanceOf(ConnectionLost.class);
    assertThat(reason.isClean()).isFalse();
  }

  @Test
  default void exceptionInDataReceivedClosesOnlyThatConnection() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port =
        listen(
            peer -> {
              Recorder recorder =
                  new Recorder(true) {
                    @Override
                    public void dataReceived(ByteBuffer data) {
                      if (data.remaining() > 0 && data.get(data.position()) == '!') {
                        throw new IllegalArgumentException("boom");
                      }
                      super.dataReceived(data);
                    }
                  };
              built.add(recorder);
              return recorder;
            });
    try (Peer good = Peer.connect(port);
        Peer bad = Peer.connect(port)) {
      Recorder goodProtocol = take(built);
      good.write("a");
      assertThat(good.readUtf8(1)).isEqualTo("a");
      Recorder badProtocol = take(built);
      bad.write("!");
      ConnectionClosed reason = await(badProtocol.lost);
      assertThat(reason).isInstanceOf(ConnectionLost.class);
      assertThat(reason.getCause()).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
      assertThat(bad.drainUntilClosed()).isZero();
      good.write("b");
      assertThat(good.readUtf8(1)).isEqualTo("b");
      assertThat(goodProtocol.lost).isNotDone();
    }
  }

  @Test
  default void factoryReturningNullRefusesTheConnection() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    int port =
        listen(
            peer -> {
              asked.incrementAndGet();
              return null;
            });
    try (Peer peer = Peer.connect(port)) {
      assertThat(peer.drainUntilClosed()).isZero();
    }
    assertThat(asked.get()).isEqualTo(1);
  }

  @Test
  default void everyCallbackRunsOnTheReactorThread() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    CompletableFuture<Thread> timerThread = new CompletableFuture<>();
    try (Peer peer = Peer.connect(port)) {
      peer.write("x");
      peer.read(1);
      background()
          .execute(
              () ->
                  reactor()
                      .callLater(
                          Duration.ZERO, () -> timerThread.complete(Thread.currentThread())));
    }
    Recorder server = take(built);
    await(server.lost);
    assertThat(server.threads)
        .hasSizeGreaterThanOrEqualTo(3)
        .allMatch(t -> t == background().thread());
    assertThat(await(timerThread)).isSameAs(background().thread());
  }

  @Test
  default void transportMethodsRefuseOtherThreads() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    try (Peer peer = Peer.connect(port)) {
      Recorder server = take(built);
      await(server.made);
      assertThatThrownBy(() -> server.transport().write("from the wrong thread"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("callFromThread");
      assertThatThrownBy(
              () -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reactor thread");
      peer.write("still served");
      assertThat(peer.readUtf8(12)).isEqualTo("still served");
    }
  }

  @Test
  default void setUpOnTheMainThreadThenRunOnIt() throws Exception {
    CompletableFuture<Void> ran =
        CompletableFuture.runAsync(
            () -> {
              Reactor own = newReactor();
              try {
                ListeningPort port =
                    own.listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true)));
                own.callLater(
                    Duration.ZERO,
                    () ->
                        new Thread(
                                () -> {
                                  try (Peer peer = Peer.connect(port.port())) {
                                    peer.write("m");
                                    peer.read(1);
                                  } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                  } finally {
                                    own.stop();
                                  }
                                })
                            .start());
              } catch (CannotListenError e) {
                throw new IllegalStateException(e);
              }
              own.run();
            });
    await(ran);
  }

  @Test
  default void stopClosesOpenConnectionsAfterShutdownTriggers() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicReference<Recorder> server = new AtomicReference<>();
    background()
        .execute(
            () -> {
              reactor()
                  .addSystemEventTrigger(
                      TriggerPhase.BEFORE,
                      SystemEvent.SHUTDOWN,
                      () -> {
                        events.add("before:" + (server.get().lost.isDone() ? "closed" : "open"));
                        Deferred<Void> later = new Deferred<>();
                        reactor()
                            .callLater(
                                Duration.ofMillis(20),
                                () -> {
                                  events.add("before-done");
                                  later.callback(null);
                                });
                        return later;
                      });
              reactor()
                  .addSystemEventTrigger(
                      TriggerPhase.AFTER,
                      SystemEvent.SHUTDOWN,
                      () -> {
                        events.add("after:" + (server.get().lost.isDone() ? "closed" : "open"));
                        return null;
                      });
            });
    try (Peer peer = Peer.connect(port)) {
      peer.write("z");
      assertThat(peer.readUtf8(1)).isEqualTo("z");
      server.set(take(built));
      background().close();
      assertThat(peer.drainUntilClosed()).isZero();
    }
    assertThat(await(server.get().lost)).isInstanceOf(ConnectionDone.class);
    assertThat(events).containsExactly("before:open", "before-done", "after:closed");
  }
}
