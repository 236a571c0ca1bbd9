package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.take;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.spi.SocketEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of flow control: pausing, producers at the watermarks, the write
 * buffer limit, reads that follow writes and the output budget.
 */
public interface FlowControlConformance extends KitContext {

  @Test
  default void pauseProducingStopsReadsAndResumeDeliversEverything() throws Exception {
    int size = 256 * 1024;
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port =
        listen(
            peer -> {
              Recorder recorder =
                  new Recorder(false) {
                    @Override
                    public void connectionMade() {
                      super.connectionMade();
                      transport().pauseProducing();
                    }
                  };
              built.add(recorder);
              return recorder;
            });
    try (Peer peer = Peer.connect(port)) {
      Recorder server = take(built);
      peer.write(new byte[size]);
      // Observe for a while: a paused transport must deliver nothing (no waiting for an event
      // here).
      CompletableFuture<Long> whilePaused = new CompletableFuture<>();
      background()
          .execute(
              () ->
                  reactor()
                      .callLater(
                          Duration.ofMillis(200),
                          () -> {
                            whilePaused.complete(server.received.get());
                            server.transport().resumeProducing();
                          }));
      assertThat(await(whilePaused)).isZero();
      CompletableFuture<Long> all = new CompletableFuture<>();
      background()
          .execute(
              () ->
                  pollUntil(
                      () -> server.received.get() >= size,
                      () -> all.complete(server.received.get())));
      assertThat(await(all)).isEqualTo(size);
    }
  }

  @Test
  default void writeBufferAccountingCountsBytesNotYetSent() throws Exception {
    int size = 8 * 1024 * 1024;
    CompletableFuture<Long> buffered = new CompletableFuture<>();
    CompletableFuture<Long> drained = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        transport().write(new byte[size]);
                        buffered.complete(transport().bufferedBytes());
                        pollUntil(
                            () -> transport().bufferedBytes() == 0,
                            () -> drained.complete(transport().bufferedBytes()));
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      // Queued bytes plus a small fixed bookkeeping overhead per write.
      assertThat(await(buffered)).isPositive().isLessThanOrEqualTo(size + 1024);
      assertThat(peer.read(size)).hasSize(size);
      assertThat(await(drained)).isZero();
    }
  }

  @Test
  default void aPushProducerIsPausedAboveTheHighWatermarkAndResumedBelowTheLow() throws Exception {
    int total = 32 * 1024 * 1024;
    PausingWriter writer = new PausingWriter(reactor(), total);
    int port = listen(Factory.of(() -> writer));
    try (Peer peer = Peer.connect(port)) {
      assertThat(peer.readToEnd()).hasSize(total);
    }
    int high = options().writeBufferHighWatermark();
    assertThat(writer.pauses.get()).as("paused at the high watermark").isPositive();
    assertThat(writer.resumes.get()).as("resumed below the low watermark").isPositive();
    assertThat(writer.maxQueued.get())
        .as("most ever queued")
        .isLessThanOrEqualTo(high + PausingWriter.CHUNK + 1024L);
  }

  @Test
  default void aPullProducerStreamsToAReaderWithBoundedBufferingAndLoseConnectionWaitsForIt()
      throws Exception {
    int chunk = 64 * 1024;
    int chunks = 16 * 1024; // 1 GiB, with the queue never above the high watermark plus one chunk
    AtomicLong maxQueued = new AtomicLong();
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        byte[] piece = new byte[chunk];
                        transport()
                            .registerProducer(
                                new PullProducer() {
                                  private int sent;

                                  @Override
                                  public void resumeProducing() {
                                    if (sent == chunks) {
                                      transport().unregisterProducer();
                                      return;
                                    }
                                    piece[0] = (byte) sent;
                                    transport().write(piece);
                                    sent++;
                                    maxQueued.accumulateAndGet(
                                        transport().bufferedBytes(), Math::max);
                                  }

                                  @Override
                                  public void stopProducing() {}
                                });
                        transport().loseConnection(); // must wait for the producer to finish
                      }

                      @Override
                      public void connectionLost(ConnectionClosed why) {
                        reason.complete(why);
                      }
                    }));
    try (Peer peer = Peer.connect(port)) {
      long total = 0;
      for (int i = 0; i < chunks; i++) {
        byte[] piece = peer.read(chunk);
        assertThat(piece).hasSize(chunk);
        assertThat(piece[0]).as("chunk %d in order", i).isEqualTo((byte) i);
        total += piece.length;
      }
      assertThat(peer.drainUntilClosed()).as("nothing after the last chunk").isZero();
      assertThat(total).isEqualTo((long) chunk * chunks);
    }
    assertThat(await(reason)).isInstanceOf(ConnectionDone.class);
    assertThat(maxQueued.get())
        .as("most ever queued")
        .isLessThanOrEqualTo(options().writeBufferHighWatermark() + chunk + 1024L);
  }

  @Test
  default void outgrowingTheWriteBufferLimitAbortsTheConnection() throws Exception {
    long limit = 1024 * 1024;
    try (BackgroundReactor own =
        BackgroundReactor.start(
            newReactor(options().toBuilder().writeBufferLimit(limit).build()))) {
      CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
      int port =
          own.call(
              () ->
                  own.reactor()
                      .listenTCP(
                          0,
                          "127.0.0.1",
                          Factory.of(
                              () ->
                                  new Protocol() {
                                    @Override
                                    public void connectionMade() {
                                      flood();
                                    }

                                    private void flood() {
                                      if (!reason.isDone()) {
                                        transport().write(new byte[256 * 1024]);
                                        own.reactor().callLater(Duration.ZERO, this::flood);
                                      }
                                    }

                                    @Override
                                    public void connectionLost(ConnectionClosed why) {
                                      reason.complete(why);
                                    }
                                  }))
                      .port());
      try (Peer peer = Peer.connect(port)) { // connected, never reading
        assertThat(await(reason))
            .isInstanceOf(ConnectionAborted.class)
            .hasMessageContaining("write buffer limit of " + limit + " bytes exceeded");
        assertThat(peer.drainUntilClosed())
            .as("only part of the flood arrived")
            .isLessThan(64L * 1024 * 1024);
      }
    }
  }

  /**
   * An echo writes back the very bytes it was lent, uncopied, and a write that waits (its peer is
   * not reading) holds that memory: no later read, of any connection, may be made into it. One peer
   * sends without reading until the server's echo to it is stuck in the queue; another then makes a
   * long echo round trip on the same reactor; the first must get back exactly what it sent.
   */
  @Test
  default void bytesAQueuedWriteHoldsAreNotReadOverByLaterReads() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        if (transport().bufferedBytes() > 0) {
                          stuck.countDown(); // earlier echoes outlived their flush: they wait
                        }
                        transport().write(data);
                      }
                    }));
    byte[] held = Kit.randomBytes(4 * 1024 * 1024, 1);
    byte[] busy = Kit.randomBytes(1024 * 1024, 2);
    Socket holding = new Socket();
    holding.setReceiveBufferSize(8 * 1024);
    holding.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    try (Peer holder = Peer.of(holding);
        Peer other = Peer.connect(port)) {
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  holder.write(held); // blocks once the server stops reading it, until it reads
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      assertThat(stuck.await(WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the echo to a peer that does not read waits in the queue")
          .isTrue();
      int piece = 64 * 1024;
      for (int at = 0; at < busy.length; at += piece) {
        other.write(Arrays.copyOfRange(busy, at, at + piece));
        assertThat(other.read(piece))
            .as("the other connection's echo at %d", at)
            .isEqualTo(Arrays.copyOfRange(busy, at, at + piece));
      }
      assertThat(holder.read(held.length)).as("what the held echo carried").isEqualTo(held);
      await(sent);
    }
  }

  @Test
  default void aPeerThatSendsWithoutReadingIsHeldBackAndTheEchoQueueStaysBounded()
      throws Exception {
    AtomicLong maxQueued = new AtomicLong();
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void dataReceived(ByteBuffer data) {
                        transport()
                            .write(data); // an echo that registers no producer: reads must follow
                        // writes
                        maxQueued.accumulateAndGet(transport().bufferedBytes(), Math::max);
                      }
                    }));
    long ceiling = 256L * 1024 * 1024;
    long sent = 0;
    try (SocketChannel client = SocketChannel.open()) {
      client.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
      client.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      client.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      try (Selector selector = Selector.open()) {
        client.register(selector, SelectionKey.OP_WRITE);
        while (sent < ceiling) {
          chunk.clear();
          int n = client.write(chunk);
          sent += n;
          if (n == 0) {
            selector.selectedKeys().clear();
            if (selector.select(2000) == 0) {
              break; // the server stopped reading: TCP holds this peer back
            }
          }
        }
      }
      assertThat(sent).as("bytes a never-reading peer could push").isLessThan(ceiling);
      assertThat(background().call(() -> reactor().stats().pausedForBackpressure()))
          .as("times reading paused for back-pressure")
          .isPositive();
      assertThat(maxQueued.get())
          .as("most ever queued: the high watermark plus one burst of reads")
          .isLessThanOrEqualTo(
              options().writeBufferHighWatermark()
                  + SocketEvents.MAX_BURST_BYTES
                  + 4096L); // and the transports' bookkeeping per queued write (Netty: 96 B)
      // Reading resumes once the peer reads: everything sent comes back.
      client.configureBlocking(true);
      ByteBuffer back = ByteBuffer.allocate(256 * 1024);
      long received = 0;
      client.socket().setSoTimeout((int) Peer.READ_TIMEOUT.toMillis());
      InputStream in = client.socket().getInputStream();
      byte[] buffer = back.array();
      while (received < sent) {
        int n = in.read(buffer);
        assertThat(n).as("echo ended early after %d of %d bytes", received, sent).isPositive();
        received += n;
      }
      assertThat(received).isEqualTo(sent);
    }
  }

  @Test
  default void theOutputBudgetAbortsTheConnectionsHoldingTheMostAndOthersCarryOn()
      throws Exception {
    long budget = 2L * 1024 * 1024;
    int write = 128 * 1024;
    ReactorOptions tight =
        options().toBuilder().outputBudget(budget).writeBufferLimit(256L * 1024 * 1024).build();
    try (BackgroundReactor own = BackgroundReactor.start(newReactor(tight))) {
      int floods = 4;
      List<CompletableFuture<ConnectionClosed>> reasons = new ArrayList<>();
      BlockingQueue<CompletableFuture<ConnectionClosed>> made = new LinkedBlockingQueue<>();
      AtomicLong mostCharged = new AtomicLong();
      int floodPort =
          own.call(
              () ->
                  own.reactor()
                      .listenTCP(
                          0,
                          "127.0.0.1",
                          Factory.of(
                              () ->
                                  new Protocol() {
                                    private final CompletableFuture<ConnectionClosed> reason =
                                        new CompletableFuture<>();

                                    @Override
                                    public void connectionMade() {
                                      made.add(reason);
                                      flood();
                                    }

                                    private void flood() {
                                      if (!reason.isDone()) {
                                        transport().write(new byte[write]);
                                        mostCharged.accumulateAndGet(
                                            own.reactor().stats().outputQueued(), Math::max);
                                        own.reactor().callLater(Duration.ofMillis(1), this::flood);
                                      }
                                    }

                                    @Override
                                    public void connectionLost(ConnectionClosed why) {
                                      reason.complete(why);
                                    }
                                  }))
                      .port());
      int echoPort =
          own.call(
              () ->
                  own.reactor()
                      .listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true)))
                      .port());
      List<Peer> peers = new ArrayList<>();
      try {
        for (int i = 0; i < floods; i++) {
          peers.add(Peer.connect(floodPort)); // connected, never reading
          reasons.add(take(made));
        }
        for (CompletableFuture<ConnectionClosed> reason : reasons) {
          assertThat(await(reason))
              .isInstanceOf(ConnectionAborted.class)
              .hasMessageContaining("output budget of " + budget + " bytes");
        }
        try (Peer reader = Peer.connect(echoPort)) {
          reader.write("still served");
          assertThat(reader.readUtf8(12)).isEqualTo("still served");
        }
      } finally {
        for (Peer peer : peers) {
          peer.close();
        }
      }
      assertThat(mostCharged.get())
          .as("most output ever charged")
          .isLessThanOrEqualTo(budget + write + 64 * 1024);
      assertThat(own.call(() -> own.reactor().stats().abortedOverBudget()))
          .isGreaterThanOrEqualTo(floods);
    }
  }

  @Test
  default void aReactorThatListensButNeverRunsSaysSo() throws Exception {
    Logger logger = Logger.getLogger(Reactor.class.getName());
    BlockingQueue<String> warnings = new LinkedBlockingQueue<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel() == Level.WARNING
                && record.getMessage().contains("run() was never called")) {
              warnings.add(new MessageFormat(record.getMessage()).format(record.getParameters()));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = logger.getLevel();
    logger.setLevel(Level.WARNING); // the build's tests log SEVERE only
    logger.addHandler(capture);
    System.setProperty("torsion.reactor.neverRunWarningMillis", "100");
    Reactor forgotten = newReactor();
    CompletableFuture<Void> setUp = new CompletableFuture<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread owner =
        new Thread(
            () -> {
              try {
                forgotten.listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true)));
                setUp.complete(null);
                done.await();
              } catch (Throwable e) {
                setUp.completeExceptionally(e);
              } finally {
                forgotten.stop(); // on the thread that set it up: releases what it holds
              }
            });
    owner.start();
    try {
      await(setUp);
      assertThat(take(warnings)).contains("1 port(s) listening", "call reactor.run()");
    } finally {
      done.countDown();
      owner.join(30_000);
      System.clearProperty("torsion.reactor.neverRunWarningMillis");
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
  }

  /** Checks {@code condition} on each turn of the reactor (every millisecond) until it holds. */
  private void pollUntil(BooleanSupplier condition, Runnable then) {
    if (condition.getAsBoolean()) {
      then.run();
    } else {
      reactor().callLater(Duration.ofMillis(1), () -> pollUntil(condition, then));
    }
  }
}
