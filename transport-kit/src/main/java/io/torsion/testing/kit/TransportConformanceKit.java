package io.torsion.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.ConnectionRefusedError;
import io.torsion.DNSLookupError;
import io.torsion.DelayedCall;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import io.torsion.spi.Availability;
import io.torsion.spi.ReactorProvider;
import io.torsion.BackgroundReactor;
import io.torsion.transport.posix.FileDescriptorLimit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every transport must show, written once. A transport module subclasses it and
 * names itself; the kit creates that provider's reactors directly (ignoring {@code
 * -Dtorsion.reactor}), runs each test against a fresh one, and talks to it over loopback with
 * plain JDK sockets. A transport that cannot run on this machine is skipped, with its reason
 * logged and given to JUnit.
 *
 * <pre>{@code
 * class NioConformanceTest extends TransportConformanceKit {
 *     protected String transportName() { return "nio"; }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportConformanceKit {
  private static final System.Logger LOG = System.getLogger("io.torsion.testing.kit");
  private static final long WAIT_SECONDS = 30;

  /** Concurrent connections held open by {@link #servesManyConcurrentConnections()}. */
  protected static final int CONCURRENT_CONNECTIONS = 2000;

  private ReactorProvider provider;
  private Availability availability;
  private BackgroundReactor background;

  /** Returns the name of the provider under test, e.g. {@code "nio"}. */
  protected abstract String transportName();

  /** Returns the options each test's reactor is created with; override to tune. */
  protected ReactorOptions options() {
    return ReactorOptions.builder().shutdownTimeout(Duration.ofSeconds(5)).build();
  }

  @BeforeAll
  void findTransport() {
    for (ReactorProvider candidate : ServiceLoader.load(ReactorProvider.class)) {
      if (candidate.name().equals(transportName())) {
        provider = candidate;
      }
    }
    assertThat(provider).as("provider '%s' on the test class path", transportName()).isNotNull();
    availability = provider.availability();
    if (!availability.available()) {
      LOG.log(System.Logger.Level.WARNING, "Skipping the conformance kit for ''{0}'': {1}",
          transportName(), availability.describe());
    }
  }

  @BeforeEach
  void startReactor() {
    Assumptions.assumeTrue(availability.available(),
        () -> "transport '" + transportName() + "' cannot run here: " + availability.describe());
    background = BackgroundReactor.start(newReactor());
  }

  @AfterEach
  void stopReactor() {
    if (background != null) {
      background.close();
    }
  }

  /** Creates a reactor of the transport under test, not yet running. */
  protected Reactor newReactor() {
    return newReactor(options());
  }

  /** Creates a reactor of the transport under test with {@code options}, not yet running. */
  protected Reactor newReactor(ReactorOptions options) {
    return Reactor.create(options, provider);
  }

  /** Returns the running reactor of the current test. */
  protected Reactor reactor() {
    return background.reactor();
  }

  /** Returns the running reactor's harness. */
  protected BackgroundReactor background() {
    return background;
  }

  /** Listens on 127.0.0.1, port 0, and returns the port. */
  protected int listen(Factory<?> factory) {
    return background.call(() -> reactor().listenTCP(0, "127.0.0.1", factory).port());
  }

  /** Returns a factory of echoing recorders that also hands each one it builds to {@code built}. */
  protected static Factory<Recorder> recorders(BlockingQueue<Recorder> built, boolean echo) {
    return peer -> {
      Recorder recorder = new Recorder(echo);
      built.add(recorder);
      return recorder;
    };
  }

  /** Waits for {@code future}, at most 30 seconds. */
  protected static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("nothing happened within " + WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Takes the next element of {@code queue}, waiting at most 30 seconds. */
  protected static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T next = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(next).as("an element within %d s", WAIT_SECONDS).isNotNull();
    return next;
  }

  /** Returns the outcome of {@code deferred} as a future, attaching on the reactor thread. */
  protected <T> CompletableFuture<T> outcome(java.util.concurrent.Callable<Deferred<T>> start) {
    CompletableFuture<T> result = new CompletableFuture<>();
    background.execute(() -> {
      try {
        start.call().addCallbacks(
            value -> {
              result.complete(value);
              return null;
            },
            failure -> {
              result.completeExceptionally(failure.value());
              return null;
            });
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  // ------------------------------------------------------------------ connections and echo

  @Test
  void echoesBytesBackOnOneConnection() throws Exception {
    int port = listen(recorders(new LinkedBlockingQueue<>(), true));
    try (Peer peer = Peer.connect(port)) {
      peer.write("hello");
      assertThat(peer.readUtf8(5)).isEqualTo("hello");
    }
  }

  @Test
  void echoesEverySizeFromOneByteTo16MiB() throws Exception {
    int port = listen(recorders(new LinkedBlockingQueue<>(), true));
    for (int size : new int[] {1, 2, 1000, 64 * 1024 + 1, 1024 * 1024, 16 * 1024 * 1024}) {
      byte[] sent = randomBytes(size, size);
      try (Peer peer = Peer.connect(port)) {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
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
  void aReadWrittenToAnotherConnectionArrivesIntact() throws Exception {
    // A relay, as a proxy is one: the first connection only receives; whatever the second one
    // reads is written, while it is lent, to the first one's transport.
    AtomicReference<Protocol> sink = new AtomicReference<>();
    BlockingQueue<Protocol> made = new LinkedBlockingQueue<>();
    int port = listen(peer -> new Protocol() {
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
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
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
  void writeSequenceStringsAndArraysArriveInOrder() throws Exception {
    int port = listen(Factory.of(() -> new Protocol() {
      @Override
      public void connectionMade() {
        transport().write("a");
        transport().writeSequence(List.of(ByteBuffer.wrap(new byte[] {'b'}), ByteBuffer.wrap(new byte[] {'c', 'd'})));
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
  void servesManyConcurrentConnections() throws Exception {
    AtomicInteger made = new AtomicInteger();
    int port = listen(peer -> {
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
        clients.get(i).write(ByteBuffer.wrap(String.format("%08d", i).getBytes(StandardCharsets.US_ASCII)));
      }
      for (int i = 0; i < clients.size(); i++) {
        ByteBuffer reply = ByteBuffer.allocate(8);
        SocketChannel client = clients.get(i);
        client.socket().setSoTimeout((int) Peer.READ_TIMEOUT.toMillis());
        while (reply.hasRemaining()) {
          assertThat(client.read(reply)).as("connection %d open", i).isNotNegative();
        }
        assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo(String.format("%08d", i));
      }
      assertThat(made.get()).isEqualTo(CONCURRENT_CONNECTIONS);
    } finally {
      for (SocketChannel client : clients) {
        client.close();
      }
    }
  }

  @Test
  void loseConnectionFlushesPendingWritesFirst() throws Exception {
    int size = 8 * 1024 * 1024;
    byte[] payload = randomBytes(size, 7);
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port = listen(Factory.of(() -> new Protocol() {
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
  void loseConnectionWithAReasonFlushesAndReportsIt() throws Exception {
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port = listen(Factory.of(() -> new Protocol() {
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
      assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("ERROR bad input\r\n");
    }
    assertThat(await(reason)).isInstanceOf(ConnectionLost.class).hasMessage("bad input from the peer");
  }

  @Test
  void switchProtocolHandsTheConnectionAndUnconsumedBytesToTheNextProtocol() throws Exception {
    CompletableFuture<String> firstLost = new CompletableFuture<>();
    int port = listen(Factory.of(() -> new Protocol() {
      @Override
      public void dataReceived(ByteBuffer data) {
        // "SWITCH\n" then anything: everything after the newline goes to an echo protocol.
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
      assertThat(peer.readUtf8(3)).as("the unconsumed bytes, echoed by the next protocol").isEqualTo("abc");
      peer.write("def");
      assertThat(peer.readUtf8(3)).isEqualTo("def");
    }
    assertThat(firstLost).as("the first protocol hears nothing after the switch").isNotDone();
  }

  @Test
  void abortConnectionDropsPendingWrites() throws Exception {
    int size = 8 * 1024 * 1024; // under the write buffer limit, so abortConnection is what closes
    assertThat((long) size).isLessThan(options().writeBufferLimit());
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port = listen(Factory.of(() -> new Protocol() {
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
      assertThat(await(reason)).isInstanceOf(ConnectionAborted.class).hasMessageContaining("aborted by this side");
      assertThat(peer.drainUntilClosed()).as("the peer sees the end, with part of the data").isLessThan(size);
    }
  }

  @Test
  void peerHalfCloseReachesAHalfCloseableProtocol() throws Exception {
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
  void peerHalfCloseClosesAnOrdinaryProtocolAfterFlushing() throws Exception {
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
  void loseWriteConnectionHalfClosesTowardsThePeer() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    int port = listen(Factory.of(() -> new Protocol() {
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
  void peerCloseIsReportedAsConnectionDone() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, false));
    Peer.connect(port).close();
    ConnectionClosed reason = await(take(built).lost);
    assertThat(reason).isInstanceOf(ConnectionDone.class);
    assertThat(reason.isClean()).isTrue();
  }

  @Test
  void peerResetIsReportedAsConnectionLost() throws Exception {
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
  void exceptionInDataReceivedClosesOnlyThatConnection() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(peer -> {
      Recorder recorder = new Recorder(true) {
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
    try (Peer good = Peer.connect(port); Peer bad = Peer.connect(port)) {
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
  void factoryReturningNullRefusesTheConnection() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    int port = listen(peer -> {
      asked.incrementAndGet();
      return null;
    });
    try (Peer peer = Peer.connect(port)) {
      assertThat(peer.drainUntilClosed()).isZero();
    }
    assertThat(asked.get()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ file descriptors

  /**
   * Exhausts the process's file descriptors for real: lowers the soft limit to a little above what
   * is open (before the reactor under test is created, as io_uring applies the limit it saw then),
   * fills every free descriptor, and has clients connect, so that the server's accept fails with
   * EMFILE. Existing connections must keep working, the failure must be logged once and retried
   * with back-off (not in a busy loop), and accepting must resume by itself once descriptors free.
   */
  @Test
  void runningOutOfFileDescriptorsPausesAcceptingAndRecoversByItself() throws Exception {
    Assumptions.assumeTrue(FileDescriptorLimit.read().isPresent() && FileDescriptorLimit.openDescriptors() >= 0,
        "RLIMIT_NOFILE cannot be changed or descriptors counted on this platform");
    FileDescriptorLimit.raiseToHardLimit(); // the one raise per process happens now, not mid-test
    long soft = FileDescriptorLimit.read().orElseThrow().soft();
    AcceptLog log = AcceptLog.attach();
    List<SocketChannel> waiting = new ArrayList<>();
    List<SocketChannel> fillers = new ArrayList<>();
    FileDescriptorLimit.setSoftLimit(Math.min(soft, FileDescriptorLimit.openDescriptors() + 500L));
    try (BackgroundReactor own = BackgroundReactor.start(newReactor())) {
      int port = own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", recorders(new LinkedBlockingQueue<>(), true)).port());
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
          assertThat(log.firstWarning.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("a warning when accept fails").isTrue();
          existing.write("b");
          assertThat(existing.readUtf8(1)).as("existing connections keep working").isEqualTo("b");
          // Stay out of descriptors for a fixed window: a back-off retries a handful of times in
          // it, a busy loop thousands. (An observation window, not synchronisation.)
          CompletableFuture<Void> window = new CompletableFuture<>();
          own.execute(() -> own.reactor().callLater(Duration.ofMillis(300), () -> window.complete(null)));
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
          assertThat(client.socket().getInputStream().read()).as("accepted once descriptors are free").isEqualTo('w');
        }
        assertThat(log.warnings.get()).as("one warning per burst").isEqualTo(1);
        assertThat(log.failedAttempts.get()).as("failed attempts in 300 ms: back-off, not a busy loop").isLessThan(50);
      }
    } finally {
      for (SocketChannel client : waiting) {
        client.close();
      }
      FileDescriptorLimit.setSoftLimit(soft);
      log.detach();
    }
  }

  // ------------------------------------------------------------------ listening

  @Test
  void listeningOnPortZeroReportsTheChosenPort() {
    ListeningPort port = background.call(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))));
    assertThat(port.port()).isBetween(1, 65535);
    assertThat(port.getHost().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void listeningOnAPortInUseFailsWithCannotListenError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> background.call(() -> reactor().listenTCP(port, "127.0.0.1", Factory.of(() -> new Recorder(true)))))
          .isInstanceOf(CannotListenError.class)
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  @Test
  void listeningOnIpv6LoopbackWorksWhereAvailable() throws Exception {
    InetAddress ipv6 = InetAddress.getByName("::1");
    try (ServerSocket probe = new ServerSocket(0, 1, ipv6)) {
      probe.getLocalPort();
    } catch (IOException noIpv6) {
      Assumptions.abort("IPv6 loopback is not available here: " + noIpv6);
    }
    int port = background.call(() -> reactor().listenTCP(0, "::1", Factory.of(() -> new Recorder(true))).port());
    try (Peer peer = Peer.connect(ipv6, port)) {
      peer.write("six");
      assertThat(peer.readUtf8(3)).isEqualTo("six");
    }
  }

  @Test
  void stopListeningClosesThePortButKeepsConnections() throws Exception {
    ListeningPort port = background.call(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))));
    try (Peer peer = Peer.connect(port.port())) {
      peer.write("1");
      assertThat(peer.readUtf8(1)).isEqualTo("1");
      await(outcome(port::stopListening));
      assertThatThrownBy(() -> connectFromBoundPort(port.port())).isInstanceOf(java.net.ConnectException.class);
      peer.write("2");
      assertThat(peer.readUtf8(1)).isEqualTo("2");
    }
  }

  @Test
  void startAndStopFactoryBracketTheListeningPort() {
    List<String> events = new CopyOnWriteArrayList<>();
    Factory<Recorder> factory = new Factory<>() {
      @Override
      public Recorder buildProtocol(SocketAddress peer) {
        return new Recorder(false);
      }

      @Override
      public void startFactory() {
        events.add("start");
      }

      @Override
      public void stopFactory() {
        events.add("stop");
      }
    };
    ListeningPort port = background.call(() -> reactor().listenTCP(0, "127.0.0.1", factory));
    assertThat(events).containsExactly("start");
    await(outcome(port::stopListening));
    assertThat(events).containsExactly("start", "stop");
  }

  // ------------------------------------------------------------------ connecting

  @Test
  void connectTCPFiresWithTheProtocolAfterConnectionMade() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Recorder> connected = outcome(() ->
          reactor().connectTCP("127.0.0.1", server.getLocalPort(), Factory.of(() -> new Recorder(true))));
      try (Peer accepted = Peer.of(server.accept())) {
        Recorder client = await(connected);
        assertThat(client.made).isDone();
        accepted.write("ping");
        assertThat(accepted.readUtf8(4)).isEqualTo("ping");
      }
    }
  }

  @Test
  void connectTCPResolvesHostNamesOffTheReactorThread() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Recorder> connected = outcome(() ->
          reactor().connectTCP("localhost", server.getLocalPort(), Factory.of(() -> new Recorder(true))));
      try (Socket accepted = server.accept()) {
        assertThat(await(connected).made).isDone();
        assertThat(accepted.isConnected()).isTrue();
      }
    }
  }

  @Test
  void connectionRefusedFailsTheDeferred() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    CompletableFuture<Recorder> connected = outcome(() ->
        reactor().connectTCP("127.0.0.1", closedPort, Factory.of(() -> new Recorder(true))));
    assertThatThrownBy(() -> connected.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConnectionRefusedError.class)
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }

  @Test
  void unresolvableHostFailsWithDNSLookupError() {
    CompletableFuture<Recorder> connected = outcome(() ->
        reactor().connectTCP("no-such-host.invalid", 80, Factory.of(() -> new Recorder(true))));
    assertThatThrownBy(() -> connected.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(DNSLookupError.class)
        .hasMessageContaining("no-such-host.invalid");
  }

  // ------------------------------------------------------------------ flow control

  @Test
  void pauseProducingStopsReadsAndResumeDeliversEverything() throws Exception {
    int size = 256 * 1024;
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(peer -> {
      Recorder recorder = new Recorder(false) {
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
      // Observe for a while: a paused transport must deliver nothing (no waiting for an event here).
      CompletableFuture<Long> whilePaused = new CompletableFuture<>();
      background.execute(() -> reactor().callLater(Duration.ofMillis(200), () -> {
        whilePaused.complete(server.received.get());
        server.transport().resumeProducing();
      }));
      assertThat(await(whilePaused)).isZero();
      CompletableFuture<Long> all = new CompletableFuture<>();
      background.execute(() -> pollUntil(() -> server.received.get() >= size, () -> all.complete(server.received.get())));
      assertThat(await(all)).isEqualTo(size);
    }
  }

  @Test
  void writeBufferAccountingCountsBytesNotYetSent() throws Exception {
    int size = 8 * 1024 * 1024;
    CompletableFuture<Long> buffered = new CompletableFuture<>();
    CompletableFuture<Long> drained = new CompletableFuture<>();
    int port = listen(Factory.of(() -> new Protocol() {
      @Override
      public void connectionMade() {
        transport().write(new byte[size]);
        buffered.complete(transport().bufferedBytes());
        pollUntil(() -> transport().bufferedBytes() == 0, () -> drained.complete(transport().bufferedBytes()));
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
  void aPushProducerIsPausedAboveTheHighWatermarkAndResumedBelowTheLow() throws Exception {
    int chunk = 16 * 1024;
    int total = 32 * 1024 * 1024;
    AtomicInteger pauses = new AtomicInteger();
    AtomicInteger resumes = new AtomicInteger();
    AtomicLong maxQueued = new AtomicLong();
    int port = listen(Factory.of(() -> new Protocol() {
      private boolean paused;
      private int written;

      @Override
      public void connectionMade() {
        transport().registerProducer(new io.torsion.PushProducer() {
          @Override
          public void pauseProducing() {
            paused = true;
            pauses.incrementAndGet();
          }

          @Override
          public void resumeProducing() {
            paused = false;
            resumes.incrementAndGet();
            reactor().callLater(Duration.ZERO, () -> pump());
          }

          @Override
          public void stopProducing() {
            paused = true;
          }
        });
        pump();
      }

      private void pump() {
        byte[] piece = new byte[chunk];
        while (!paused && written < total) {
          transport().write(piece);
          written += chunk;
          maxQueued.accumulateAndGet(transport().bufferedBytes(), Math::max);
        }
        if (written == total && !paused) {
          transport().unregisterProducer();
          transport().loseConnection();
        }
      }
    }));
    try (Peer peer = Peer.connect(port)) {
      assertThat(peer.readToEnd()).hasSize(total);
    }
    int high = options().writeBufferHighWatermark();
    assertThat(pauses.get()).as("paused at the high watermark").isPositive();
    assertThat(resumes.get()).as("resumed below the low watermark").isPositive();
    assertThat(maxQueued.get()).as("most ever queued").isLessThanOrEqualTo(high + chunk + 1024L);
  }

  @Test
  void aPullProducerStreamsToAReaderWithBoundedBufferingAndLoseConnectionWaitsForIt() throws Exception {
    int chunk = 64 * 1024;
    int chunks = 16 * 1024; // 1 GiB, with the queue never above the high watermark plus one chunk
    AtomicLong maxQueued = new AtomicLong();
    CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
    int port = listen(Factory.of(() -> new Protocol() {
      @Override
      public void connectionMade() {
        byte[] piece = new byte[chunk];
        transport().registerProducer(new io.torsion.PullProducer() {
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
            maxQueued.accumulateAndGet(transport().bufferedBytes(), Math::max);
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
    assertThat(maxQueued.get()).as("most ever queued").isLessThanOrEqualTo(options().writeBufferHighWatermark() + chunk + 1024L);
  }

  @Test
  void outgrowingTheWriteBufferLimitAbortsTheConnection() throws Exception {
    long limit = 1024 * 1024;
    try (BackgroundReactor own = BackgroundReactor.start(newReactor(options().toBuilder().writeBufferLimit(limit).build()))) {
      CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();
      int port = own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Protocol() {
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
      })).port());
      try (Peer peer = Peer.connect(port)) { // connected, never reading
        assertThat(await(reason)).isInstanceOf(ConnectionAborted.class)
            .hasMessageContaining("write buffer limit of " + limit + " bytes exceeded");
        assertThat(peer.drainUntilClosed()).as("only part of the flood arrived").isLessThan(64L * 1024 * 1024);
      }
    }
  }

  @Test
  void aPeerThatSendsWithoutReadingIsHeldBackAndTheEchoQueueStaysBounded() throws Exception {
    AtomicLong maxQueued = new AtomicLong();
    int port = listen(Factory.of(() -> new Protocol() {
      @Override
      public void dataReceived(ByteBuffer data) {
        transport().write(data); // an echo that registers no producer: reads must follow writes
        maxQueued.accumulateAndGet(transport().bufferedBytes(), Math::max);
      }
    }));
    long ceiling = 256L * 1024 * 1024;
    long sent = 0;
    try (SocketChannel client = SocketChannel.open()) {
      client.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 64 * 1024);
      client.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 64 * 1024);
      client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      client.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
        client.register(selector, java.nio.channels.SelectionKey.OP_WRITE);
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
          .as("times reading paused for back-pressure").isPositive();
      assertThat(maxQueued.get()).as("most ever queued: the high watermark plus one read")
          .isLessThanOrEqualTo(options().writeBufferHighWatermark() + 64 * 1024 + 1024L);
      // Reading resumes once the peer reads: everything sent comes back.
      client.configureBlocking(true);
      ByteBuffer back = ByteBuffer.allocate(256 * 1024);
      long received = 0;
      client.socket().setSoTimeout((int) Peer.READ_TIMEOUT.toMillis());
      java.io.InputStream in = client.socket().getInputStream();
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
  void theOutputBudgetAbortsTheConnectionsHoldingTheMostAndOthersCarryOn() throws Exception {
    long budget = 2L * 1024 * 1024;
    int write = 128 * 1024;
    ReactorOptions tight = options().toBuilder().outputBudget(budget).writeBufferLimit(256L * 1024 * 1024).build();
    try (BackgroundReactor own = BackgroundReactor.start(newReactor(tight))) {
      int floods = 4;
      List<CompletableFuture<ConnectionClosed>> reasons = new ArrayList<>();
      BlockingQueue<CompletableFuture<ConnectionClosed>> made = new LinkedBlockingQueue<>();
      AtomicLong mostCharged = new AtomicLong();
      int floodPort = own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Protocol() {
        private final CompletableFuture<ConnectionClosed> reason = new CompletableFuture<>();

        @Override
        public void connectionMade() {
          made.add(reason);
          flood();
        }

        private void flood() {
          if (!reason.isDone()) {
            transport().write(new byte[write]);
            mostCharged.accumulateAndGet(own.reactor().stats().outputQueued(), Math::max);
            own.reactor().callLater(Duration.ofMillis(1), this::flood);
          }
        }

        @Override
        public void connectionLost(ConnectionClosed why) {
          reason.complete(why);
        }
      })).port());
      int echoPort = own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))).port());
      List<Peer> peers = new ArrayList<>();
      try {
        for (int i = 0; i < floods; i++) {
          peers.add(Peer.connect(floodPort)); // connected, never reading
          reasons.add(take(made));
        }
        for (CompletableFuture<ConnectionClosed> reason : reasons) {
          assertThat(await(reason)).isInstanceOf(ConnectionAborted.class)
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
      assertThat(mostCharged.get()).as("most output ever charged").isLessThanOrEqualTo(budget + write + 64 * 1024);
      assertThat(own.call(() -> own.reactor().stats().abortedOverBudget())).isGreaterThanOrEqualTo(floods);
    }
  }

  @Test
  void aReactorThatListensButNeverRunsSaysSo() throws Exception {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Reactor.class.getName());
    BlockingQueue<String> warnings = new LinkedBlockingQueue<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel() == java.util.logging.Level.WARNING && record.getMessage().contains("run() was never called")) {
          warnings.add(new java.text.MessageFormat(record.getMessage()).format(record.getParameters()));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Level level = logger.getLevel();
    logger.setLevel(java.util.logging.Level.WARNING); // the build's tests log SEVERE only
    logger.addHandler(capture);
    System.setProperty("torsion.reactor.neverRunWarningMillis", "100");
    Reactor forgotten = newReactor();
    CompletableFuture<Void> setUp = new CompletableFuture<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread owner = new Thread(() -> {
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

  /**
   * Connects from a source port bound first: an unbound connect to a just-closed local port may
   * pick that very number as its source port and connect to itself (TCP simultaneous open).
   */
  private static void connectFromBoundPort(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    }
  }

  /** Checks {@code condition} on each turn of the reactor (every millisecond) until it holds. */
  private void pollUntil(java.util.function.BooleanSupplier condition, Runnable then) {
    if (condition.getAsBoolean()) {
      then.run();
    } else {
      reactor().callLater(Duration.ofMillis(1), () -> pollUntil(condition, then));
    }
  }

  // ------------------------------------------------------------------ time and threads

  @Test
  void callLaterRunsInDueOrderAndSameTimeCallsInScheduleOrder() {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    background.execute(() -> {
      reactor().callLater(Duration.ofMillis(30), () -> order.add("late"));
      reactor().callLater(Duration.ofMillis(10), () -> order.add("a"));
      reactor().callLater(Duration.ofMillis(10), () -> order.add("b"));
      reactor().callLater(Duration.ofMillis(10), () -> order.add("c"));
      reactor().callLater(Duration.ZERO, () -> order.add("now"));
      reactor().callLater(Duration.ofMillis(40), () -> done.complete(null));
    });
    await(done);
    assertThat(order).containsExactly("now", "a", "b", "c", "late");
  }

  @Test
  void cancelledCallsNeverRunAndResetCallsMove() {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    background.execute(() -> {
      DelayedCall cancelled = reactor().callLater(Duration.ofMillis(5), () -> order.add("cancelled"));
      DelayedCall moved = reactor().callLater(Duration.ofMillis(5), () -> order.add("moved"));
      reactor().callLater(Duration.ofMillis(20), () -> order.add("fixed"));
      cancelled.cancel();
      moved.reset(Duration.ofMillis(40));
      assertThat(cancelled.active()).isFalse();
      assertThat(moved.active()).isTrue();
      assertThatThrownBy(cancelled::cancel).isInstanceOf(IllegalStateException.class);
      reactor().callLater(Duration.ofMillis(60), () -> done.complete(null));
    });
    await(done);
    assertThat(order).containsExactly("fixed", "moved");
  }

  @Test
  void callFromThreadRunsEveryTaskOnTheReactorThreadInSubmissionOrder() throws Exception {
    int threads = 8;
    int perThread = 2000;
    List<List<Integer>> seen = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      seen.add(new ArrayList<>());
    }
    AtomicInteger offThread = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(threads * perThread);
    Thread reactorThread = background.thread();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread submitter = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          int n = i;
          reactor().callFromThread(() -> {
            if (Thread.currentThread() != reactorThread) {
              offThread.incrementAndGet();
            }
            seen.get(id).add(n); // unsynchronised on purpose: only the reactor thread touches it
            all.countDown();
          });
        }
      });
      submitters.add(submitter);
      submitter.start();
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(offThread.get()).isZero();
    for (List<Integer> perSubmitter : background.call(() -> seen)) {
      assertThat(perSubmitter).isSorted().hasSize(perThread);
    }
  }

  @Test
  void everyCallbackRunsOnTheReactorThread() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    CompletableFuture<Thread> timerThread = new CompletableFuture<>();
    try (Peer peer = Peer.connect(port)) {
      peer.write("x");
      peer.read(1);
      background.execute(() -> reactor().callLater(Duration.ZERO, () -> timerThread.complete(Thread.currentThread())));
    }
    Recorder server = take(built);
    await(server.lost);
    assertThat(server.threads).hasSizeGreaterThanOrEqualTo(3).allMatch(t -> t == background.thread());
    assertThat(await(timerThread)).isSameAs(background.thread());
  }

  @Test
  void transportMethodsRefuseOtherThreads() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    try (Peer peer = Peer.connect(port)) {
      Recorder server = take(built);
      await(server.made);
      assertThatThrownBy(() -> server.transport().write("from the wrong thread"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("callFromThread");
      assertThatThrownBy(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reactor thread");
      peer.write("still served");
      assertThat(peer.readUtf8(12)).isEqualTo("still served");
    }
  }

  // ------------------------------------------------------------------ the worker pool

  @Test
  void deferToThreadRunsWorkOnAPoolThreadAndFiresOnTheReactorThread() {
    CompletableFuture<Thread> worker = new CompletableFuture<>();
    CompletableFuture<Thread> firedOn = new CompletableFuture<>();
    CompletableFuture<String> value = new CompletableFuture<>();
    background.execute(() -> reactor().deferToThread(() -> {
      worker.complete(Thread.currentThread());
      return "computed";
    }).addCallback(v -> {
      firedOn.complete(Thread.currentThread());
      value.complete(v);
      return null;
    }));
    assertThat(await(value)).isEqualTo("computed");
    assertThat(await(worker).getName()).startsWith("torsion-pool-");
    assertThat(await(firedOn)).isSameAs(background.thread());
  }

  @Test
  void deferToThreadCarriesWhatTheWorkThrows() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    background.execute(() -> reactor().deferToThread(() -> {
      throw new IOException("disk on fire");
    }).addErrback(f -> {
      failure.complete(f.value());
      return null;
    }));
    assertThat(await(failure)).isInstanceOf(IOException.class).hasMessage("disk on fire");
  }

  @Test
  void suggestThreadPoolSizeLetsThatManyTasksRunAtOnce() throws Exception {
    reactor().suggestThreadPoolSize(3);
    CountDownLatch together = new CountDownLatch(3);
    List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Boolean> met = new CompletableFuture<>();
      tasks.add(met);
      reactor().callInThread(() -> {
        together.countDown();
        try {
          met.complete(together.await(WAIT_SECONDS, TimeUnit.SECONDS)); // only if all three run at once
        } catch (InterruptedException e) {
          met.completeExceptionally(e);
        }
      });
    }
    for (CompletableFuture<Boolean> task : tasks) {
      assertThat(await(task)).isTrue();
    }
  }

  @Test
  void blockingCallFromThreadLetsOtherThreadsWriteSequentialCode() throws Exception {
    String reply = reactor().blockingCallFromThread(() -> {
      Deferred<String> later = new Deferred<>();
      reactor().callLater(Duration.ofMillis(5), () -> later.callback("from the reactor"));
      return later;
    });
    assertThat(reply).isEqualTo("from the reactor");
    assertThatThrownBy(() -> reactor().blockingCallFromThread(() -> Deferred.fail(new IOException("refused"))))
        .isInstanceOf(IOException.class).hasMessage("refused");
  }

  @Test
  void blockingCallFromThreadIsRefusedOnTheReactorThread() {
    assertThatThrownBy(() -> background.call(() -> reactor().blockingCallFromThread(() -> Deferred.succeed(1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("wait for itself");
  }

  @Test
  void aDeferredTimesOutOnTheReactorsClock() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    background.execute(() -> new Deferred<String>().addTimeout(Duration.ofMillis(20), reactor()).addErrback(f -> {
      failure.complete(f.value());
      return null;
    }));
    assertThat(await(failure)).isInstanceOf(io.torsion.TimeoutError.class);
  }

  // ------------------------------------------------------------------ child processes

  private static void assumePosix() {
    Assumptions.assumeFalse(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows"),
        "the process tests use POSIX tools (cat, sh, sleep)");
  }

  @Test
  void processOutputOfSeveralMiBArrivesCompleteAndInOrder() throws Exception {
    assumePosix();
    byte[] input = randomBytes(4 * 1024 * 1024, 11);
    ProcessRecorder cat = new ProcessRecorder() {
      @Override
      public void connectionMade() {
        super.connectionMade();
        transport().write(input);
        transport().closeStdin();
      }
    };
    background.call(() -> reactor().spawnProcess(cat, List.of("cat"), null, null));
    assertThat(await(cat.ended)).isInstanceOf(io.torsion.ProcessDone.class);
    assertThat(Arrays.equals(cat.out.toByteArray(), input)).as("4 MiB through cat, intact").isTrue();
    assertThat(cat.events).startsWith("made").endsWith("ended").contains("out-eof", "err-eof", "exited");
    assertThat(cat.threads).allMatch(t -> t == background.thread());
  }

  @Test
  void exitStatusAndStandardErrorAreReported() throws Exception {
    assumePosix();
    ProcessRecorder shell = new ProcessRecorder();
    background.call(() -> reactor().spawnProcess(shell, List.of("sh", "-c", "echo oops >&2; exit 3"), null, null));
    io.torsion.ProcessEnded reason = await(shell.ended);
    assertThat(reason).isInstanceOf(io.torsion.ProcessTerminated.class);
    assertThat(reason.exitCode()).isEqualTo(3);
    assertThat(reason.signal()).isNull();
    assertThat(shell.err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
  }

  @Test
  void aProcessKilledByASignalReportsTheSignal() throws Exception {
    assumePosix();
    ProcessRecorder sleeper = new ProcessRecorder();
    io.torsion.ProcessTransport process =
        background.call(() -> reactor().spawnProcess(sleeper, List.of("sleep", "60"), null, null));
    background.execute(() -> process.signalProcess("KILL"));
    io.torsion.ProcessEnded reason = await(sleeper.ended);
    assertThat(reason).isInstanceOf(io.torsion.ProcessTerminated.class);
    assertThat(reason.signal()).isEqualTo("KILL");
    assertThatThrownBy(() -> background.execute(() -> process.signalProcess("TERM")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited already");
  }

  @Test
  void aProgramThatCannotStartFailsClearly() {
    assertThatThrownBy(() -> background.call(() ->
            reactor().spawnProcess(new ProcessRecorder(), List.of("/no/such/program"), null, null)))
        .isInstanceOf(IOException.class).hasMessageContaining("/no/such/program");
  }

  @Test
  void theEnvironmentAndWorkingDirectoryAreTheOnesGiven() throws Exception {
    assumePosix();
    ProcessRecorder shell = new ProcessRecorder();
    java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
    background.call(() -> reactor().spawnProcess(shell, List.of("/bin/sh", "-c", "echo $GREETING; pwd"),
        java.util.Map.of("GREETING", "hello"), dir));
    await(shell.ended);
    assertThat(shell.out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n" + dir + "\n");
  }

  @Test
  void stopTerminatesRunningChildProcesses() throws Exception {
    assumePosix();
    ProcessRecorder sleeper = new ProcessRecorder();
    background.call(() -> reactor().spawnProcess(sleeper, List.of("sleep", "60"), null, null));
    background.close();
    assertThat(sleeper.ended).as("ended before run() returned").isDone();
    assertThat(await(sleeper.ended).signal()).isEqualTo("TERM");
  }

  @Test
  void stopCanWaitForChildProcessesInsteadOfTerminatingThem() throws Exception {
    assumePosix();
    ProcessRecorder child = new ProcessRecorder();
    BackgroundReactor own = BackgroundReactor.start(newReactor(options().toBuilder()
        .childProcesses(ReactorOptions.ChildProcesses.WAIT).build()));
    own.call(() -> own.reactor().spawnProcess(child, List.of("sh", "-c", "sleep 0.3; echo finished"), null, null));
    own.close();
    assertThat(child.ended).as("ended before run() returned").isDone();
    assertThat(await(child.ended)).isInstanceOf(io.torsion.ProcessDone.class);
    assertThat(child.out.toString(StandardCharsets.UTF_8)).isEqualTo("finished\n");
  }

  // ------------------------------------------------------------------ several threads

  @Test
  void withSeveralThreadsEachConnectionStaysOnOneThreadAndConnectionsSpreadOverAll() throws Exception {
    int threads = 3;
    int connections = 30;
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    try (BackgroundReactor own = BackgroundReactor.start(newReactor(options().toBuilder().threads(threads).build()))) {
      assertThat(own.reactor().report().details()).anyMatch(detail -> detail.startsWith("threads: " + threads));
      int port = own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", recorders(built, true)).port());
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
      java.util.Set<Thread> used = new java.util.HashSet<>();
      for (int i = 0; i < connections; i++) {
        Recorder server = take(built);
        await(server.lost);
        assertThat(new java.util.HashSet<>(server.threads)).as("one connection, one thread").hasSize(1);
        used.addAll(server.threads);
      }
      assertThat(used).as("threads that served connections").hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(threads);
    }
  }

  @Test
  void withSeveralThreadsTimersRunOnTheSchedulingThreadAndCallFromThreadOnTheMainThread() throws Exception {
    BlockingQueue<Thread> timerThreads = new LinkedBlockingQueue<>();
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    try (BackgroundReactor own = BackgroundReactor.start(newReactor(options().toBuilder().threads(2).build()))) {
      Reactor reactor = own.reactor();
      int port = own.call(() -> reactor.listenTCP(0, "127.0.0.1", peer -> {
        Recorder recorder = new Recorder(true) {
          @Override
          public void dataReceived(ByteBuffer data) {
            if (data.get(data.position()) == 't') {
              reactor.callLater(Duration.ZERO, () -> timerThreads.add(Thread.currentThread()));
            }
            super.dataReceived(data);
          }
        };
        built.add(recorder);
        return recorder;
      }).port());
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
        assertThat(take(timerThreads)).as("a timer runs on the thread that scheduled it").isSameAs(worker);
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
  void withSeveralThreadsStopClosesEveryConnectionAndEndsTheWorkers() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    BackgroundReactor own = BackgroundReactor.start(newReactor(options().toBuilder().threads(3).build()));
    int port = own.call(() -> own.reactor().listenTCP(0, "127.0.0.1", recorders(built, true)).port());
    List<Peer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 9; i++) {
        Peer peer = Peer.connect(port);
        peers.add(peer);
        peer.write("x");
        peer.read(1);
      }
      java.util.Set<Thread> workers = new java.util.HashSet<>();
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

  // ------------------------------------------------------------------ stopping

  /**
   * A stop request from another thread must never be lost, even when it races with the loop
   * going to sleep: repeated many times, a lost wakeup shows up as a reactor that does not stop.
   */
  @Test
  void stopFromAnotherThreadAlwaysEndsRun() {
    for (int i = 0; i < 200; i++) {
      BackgroundReactor own = BackgroundReactor.start(newReactor());
      own.close(); // throws if run() does not return within the timeout
    }
  }

  @Test
  void runningOnAnotherThreadThanTheOneThatSetItUpFailsWithAClearError() {
    Reactor own = newReactor();
    own.callLater(Duration.ofSeconds(1), () -> { }); // this thread now owns the reactor
    try {
      assertThatThrownBy(() -> BackgroundReactor.start(own))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("run() must be called on thread '" + Thread.currentThread().getName() + "'");
    } finally {
      own.stop();
    }
  }

  @Test
  void stopFromACallbackEndsRun() {
    Reactor own = newReactor();
    CompletableFuture<Void> ran = CompletableFuture.runAsync(() -> {
      own.callLater(Duration.ofMillis(1), own::stop);
      own.run();
    });
    await(ran);
    assertThatThrownBy(own::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
  }

  @Test
  void setUpOnTheMainThreadThenRunOnIt() throws Exception {
    CompletableFuture<Void> ran = CompletableFuture.runAsync(() -> {
      Reactor own = newReactor();
      try {
        ListeningPort port = own.listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true)));
        own.callLater(Duration.ZERO, () -> new Thread(() -> {
          try (Peer peer = Peer.connect(port.port())) {
            peer.write("m");
            peer.read(1);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          } finally {
            own.stop();
          }
        }).start());
      } catch (CannotListenError e) {
        throw new IllegalStateException(e);
      }
      own.run();
    });
    await(ran);
  }

  @Test
  void stopClosesOpenConnectionsAfterShutdownTriggers() throws Exception {
    BlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listen(recorders(built, true));
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicReference<Recorder> server = new AtomicReference<>();
    background.execute(() -> {
      reactor().addSystemEventTrigger(TriggerPhase.BEFORE, SystemEvent.SHUTDOWN, () -> {
        events.add("before:" + (server.get().lost.isDone() ? "closed" : "open"));
        Deferred<Void> later = new Deferred<>();
        reactor().callLater(Duration.ofMillis(20), () -> {
          events.add("before-done");
          later.callback(null);
        });
        return later;
      });
      reactor().addSystemEventTrigger(TriggerPhase.AFTER, SystemEvent.SHUTDOWN, () -> {
        events.add("after:" + (server.get().lost.isDone() ? "closed" : "open"));
        return null;
      });
    });
    try (Peer peer = Peer.connect(port)) {
      peer.write("z");
      assertThat(peer.readUtf8(1)).isEqualTo("z");
      server.set(take(built));
      background.close();
      assertThat(peer.drainUntilClosed()).isZero();
    }
    assertThat(await(server.get().lost)).isInstanceOf(ConnectionDone.class);
    assertThat(events).containsExactly("before:open", "before-done", "after:closed");
  }
}
