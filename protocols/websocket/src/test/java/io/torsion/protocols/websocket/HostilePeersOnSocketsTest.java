package io.torsion.protocols.websocket;

import static io.torsion.protocols.websocket.Wire.clientFrame;
import static io.torsion.protocols.websocket.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.testing.Clock;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile peers on real sockets, against a server that echoes fragments as they come: a peer that
 * never reads, one that sends a byte per second, and frames that break the rules. Each is closed
 * with its close code (or dropped, when it cannot hear one), memory stays bounded, and an ordinary
 * peer is answered throughout. The server's WebSocket timers run on a manual clock, moved on the
 * reactor thread, so no test waits for them.
 */
class HostilePeersOnSocketsTest {
  private static final Clock clock = new Clock();
  private static final List<FragmentEcho> servers = new CopyOnWriteArrayList<>();
  private static final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();
  private static final AtomicInteger closed = new AtomicInteger();
  private static BackgroundReactor background;
  private static int port;
  // What a stalled peer may have queued: the high watermark (64 KiB) plus what one read burst (1
  // MiB) brought in before reading paused, with its frame headers.
  private static final long HELD_AT_MOST = 64 * 1024 + 1024 * 1024 + 16 * 1024;

  /** Sends each piece back as it arrives, as the demo's /ws/echo does. */
  static final class FragmentEcho extends WebSocketProtocol {
    @Override
    protected void onOpen() {
      servers.add(this);
    }

    @Override
    protected boolean receivesFragments() {
      return true;
    }

    @Override
    protected void onFragment(ByteBuffer data, boolean text, boolean last) {
      sendFragment(data, text, last);
    }

    @Override
    protected void onClose(CloseStatus status) {
      closed.incrementAndGet();
      closes.add(status);
    }
  }

  @BeforeAll
  static void start() {
    background = BackgroundReactor.start(Reactor.create());
    Reactor reactor = background.reactor();
    Router router =
        Router.builder()
            .get("/echo", WebSocketServer.builder(clock, request -> new FragmentEcho()).build())
            .build();
    port =
        background.call(
            () -> reactor.listenTCP(0, "127.0.0.1", HttpServer.create(reactor, router)).port());
  }

  @AfterAll
  static void stop() {
    background.close();
  }

  @AfterEach
  void forget() throws InterruptedException {
    // the peers are closed: wait for the server to hear of each, so no test sees another's closes
    awaitCondition(() -> closed.get() >= servers.size(), "every server connection closed");
    servers.clear();
    closes.clear();
    closed.set(0);
  }

  @Test
  void aPeerThatNeverReadsHoldsOnlyItsShareAndIsDroppedWhenItAnswersNoPing() throws Exception {
    try (RawPeer hog = RawPeer.open(port);
        RawPeer ordinary = RawPeer.open(port)) {
      FragmentEcho hogsServer = servers.get(0);
      // One message that never ends, written as fast as TCP takes it, never reading the echo.
      Thread writer =
          new Thread(
              () -> {
                byte[] piece = new byte[64 * 1024];
                try {
                  hog.send(clientFrame(2, false, piece));
                  while (true) {
                    hog.send(clientFrame(0, false, piece));
                  }
                } catch (IOException expected) {
                  // dropped at last
                }
              },
              "never-reading-peer");
      writer.setDaemon(true);
      writer.start();
      long pausedBefore =
          background.call(() -> background.reactor().stats().pausedForBackpressure());
      awaitCondition(
          () ->
              background.call(
                  () ->
                      background.reactor().stats().pausedForBackpressure() > pausedBefore
                          && hogsServer.transport().bufferedBytes() > 0),
          "the server stops reading the hog while its echo is stuck");
      long bufferedAtStall = background.call(() -> hogsServer.transport().bufferedBytes());
      assertThat(bufferedAtStall).as("output held for the hog").isLessThan(HELD_AT_MOST);

      // Everyone else carries on, and the hog gains nothing meanwhile.
      for (int i = 0; i < 20; i++) {
        ordinary.send(clientFrame(1, utf8("still here " + i)));
        assertThat(ordinary.readMessage()).isEqualTo("still here " + i);
      }
      long bufferedLater = background.call(() -> hogsServer.transport().bufferedBytes());
      assertThat(bufferedLater).isLessThan(HELD_AT_MOST);
      // The rate check does not count a peer the server itself holds back.
      advance(Duration.ofSeconds(4 * WebSocketOptions.RATE_WINDOW_SECONDS));
      assertThat(closes).isEmpty();

      // It cannot hear a ping, so it cannot answer one: failed with 1001, then, its close frame
      // stuck behind the echo, dropped after the close timeout. The ordinary peer answered its
      // pings (any frame counts) and stays.
      CloseStatus hogClosed = null;
      for (int step = 0; step < 10 && hogClosed == null; step++) {
        ordinary.send(clientFrame(1, utf8("alive " + step))); // heard, so never pinged
        assertThat(ordinary.readMessage()).isEqualTo("alive " + step);
        advance(Duration.ofSeconds(30));
        hogClosed = closes.poll(step < 2 ? 0 : 500, TimeUnit.MILLISECONDS);
      }
      assertThat(hogClosed).as("the hog is dropped").isNotNull();
      assertThat(hogClosed.code()).isEqualTo(CloseStatus.ABNORMAL);
      assertThat(hogClosed.reason()).isEqualTo("no answer to a ping");
      writer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(writer.isAlive()).as("the hog's writes failed once it was dropped").isFalse();

      ordinary.send(clientFrame(1, utf8("after")));
      assertThat(ordinary.readMessage()).isEqualTo("after");
    }
  }

  @Test
  void aPeerSendingOneBytePerSecondIsClosedWith1008() throws Exception {
    try (RawPeer slow = RawPeer.open(port);
        RawPeer ordinary = RawPeer.open(port)) {
      FragmentEcho slowsServer = servers.get(0);
      byte[] frame = clientFrame(1, utf8("x".repeat(100)));
      int sent = 0;
      // The clock moves on the reactor thread, so once advance returns a due failure has happened.
      while (background.call(slowsServer::isOpen) && sent < frame.length) {
        long read = background.call(() -> background.reactor().stats().bytesRead());
        slow.send(new byte[] {frame[sent++]});
        awaitCondition(
            () -> background.call(() -> background.reactor().stats().bytesRead() > read),
            "the byte is read");
        advance(Duration.ofSeconds(1));
        ordinary.send(clientFrame(1, utf8("tick " + sent)));
        assertThat(ordinary.readMessage()).isEqualTo("tick " + sent);
      }
      assertThat(sent).isBetween(WebSocketOptions.RATE_WINDOW_SECONDS, 10);
      assertThat(slow.readCloseCode()).isEqualTo(CloseStatus.POLICY_VIOLATION);
      slow.assertClosed();
      assertThat(closes.poll(30, TimeUnit.SECONDS).reason())
          .isEqualTo("a message arriving slower than 1024 bytes/s");
    }
  }

  static Stream<Arguments> hostileFrames() {
    ByteBuffer huge = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127));
    huge.putLong(1L << 31).putInt(0x01020304);
    return Stream.of(
        Arguments.of("a 2 GiB frame declared", huge.array(), CloseStatus.TOO_BIG),
        Arguments.of("reserved opcode 3", clientFrame(3, utf8("x")), CloseStatus.PROTOCOL_ERROR),
        Arguments.of("reserved opcode 11", clientFrame(11, utf8("")), CloseStatus.PROTOCOL_ERROR),
        Arguments.of(
            "an unmasked frame",
            Wire.frame(1, true, utf8("hi"), false),
            CloseStatus.PROTOCOL_ERROR),
        Arguments.of("close code 1005", Wire.close(1005, utf8("")), CloseStatus.PROTOCOL_ERROR),
        Arguments.of("close code 999", Wire.close(999, utf8("")), CloseStatus.PROTOCOL_ERROR),
        Arguments.of("close code 5000", Wire.close(5000, utf8("")), CloseStatus.PROTOCOL_ERROR),
        Arguments.of(
            "a text fragment that is not UTF-8",
            clientFrame(1, false, new byte[] {(byte) 0xC0, (byte) 0xAF}),
            CloseStatus.INVALID_PAYLOAD),
        Arguments.of(
            "a ping of 126 bytes",
            Wire.concat(
                new byte[] {(byte) 0x89, (byte) (0x80 | 126), 0, 126, 1, 2, 3, 4}, new byte[126]),
            CloseStatus.PROTOCOL_ERROR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileFrames")
  void aFrameThatBreaksTheRulesIsClosedWithItsCode(String what, byte[] frame, int code)
      throws Exception {
    try (RawPeer hostile = RawPeer.open(port);
        RawPeer ordinary = RawPeer.open(port)) {
      hostile.send(frame);
      assertThat(hostile.readCloseCode()).as(what).isEqualTo(code);
      hostile.assertClosed();
      ordinary.send(clientFrame(1, utf8("unaffected")));
      assertThat(ordinary.readMessage()).isEqualTo("unaffected");
    }
    long queued = background.call(() -> background.reactor().stats().outputQueued());
    assertThat(queued).isLessThan(64 * 1024);
  }

  private static void advance(Duration amount) {
    background.call(
        () -> {
          clock.advance(amount);
          return null;
        });
  }

  /** Waits for {@code condition}, checking it after each turn of the reactor, for at most 30 s. */
  private static void awaitCondition(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as(what).isNegative();
      background.call(() -> null); // a turn of the reactor is the wait, not a sleep
    }
  }

  /** A WebSocket client written by hand: sends what the test gives it, reads frames back. */
  private static final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawPeer(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.in = new DataInputStream(socket.getInputStream());
    }

    static RawPeer open(int port) throws IOException, InterruptedException {
      int before = servers.size();
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
      RawPeer peer = new RawPeer(socket);
      String key = Base64.getEncoder().encodeToString(new byte[16]);
      peer.send(
          ("GET /echo HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: "
                  + key
                  + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        head.write(peer.in.readUnsignedByte());
      }
      assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101 ");
      awaitCondition(() -> servers.size() > before, "the server's protocol is open");
      return peer;
    }

    void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Reads frames until a data message is whole; returns it as text. */
    String readMessage() throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        int b0 = in.readUnsignedByte();
        byte[] payload = payload();
        int opcode = b0 & 0x0F;
        assertThat(opcode).as("a data frame").isIn(0, 1, 2);
        message.writeBytes(payload);
        if ((b0 & 0x80) != 0) {
          return message.toString(StandardCharsets.UTF_8);
        }
      }
    }

    /** Reads frames, skipping data, until the close frame; returns its code. */
    int readCloseCode() throws IOException {
      while (true) {
        int b0 = in.readUnsignedByte();
        byte[] payload = payload();
        if ((b0 & 0x0F) == 8) {
          return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
      }
    }

    private byte[] payload() throws IOException {
      int b1 = in.readUnsignedByte();
      assertThat(b1 & 0x80).as("a server does not mask").isZero();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      return payload;
    }

    /** The server closed the TCP connection after its close frame. */
    void assertClosed() throws IOException {
      try {
        assertThat(in.read()).as("end of stream").isEqualTo(-1);
      } catch (EOFException | SocketException reset) {
        // closed, if less politely
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
