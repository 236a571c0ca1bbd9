package io.torsion.testing;

import io.torsion.ConnectError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.Deferred;
import io.torsion.DrainableProtocol;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.Reactor;
import io.torsion.Transport;
import io.torsion.spi.Poller;
import io.torsion.spi.Socket;
import io.torsion.spi.SocketEvents;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsOptions;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A protocol's connection to a scripted peer, in memory: Twisted's {@code StringTransport}, but
 * running the reactor's real connection code (the same as on a socket) over an in-memory socket. It
 * records what the protocol writes, and feeds it bytes as if they came from the peer, whole or
 * split at any point. Pausing holds reads back until resumed, registered producers are driven and
 * paused at the watermarks, and closing flushes first, exactly as on a socket.
 *
 * <pre>{@code
 * StringTransport transport = new StringTransport();
 * Echo echo = transport.connect(new Echo());
 * transport.receive("hello");
 * assertThat(transport.valueUtf8()).isEqualTo("hello");
 * }</pre>
 *
 * <p>Every method runs what the connection has pending before it returns (deterministically, on the
 * calling thread, with no reactor running): {@code connectionLost} is delivered once the current
 * callback has returned, as a reactor would. Protocol exceptions are contained as on a socket:
 * logged, and the connection aborted. Not thread-safe; use it from the test's thread.
 */
public final class StringTransport implements Transport {
  private static final InetSocketAddress DIALED = new InetSocketAddress("127.0.0.1", 1);

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final SocketAddress host;
  private final SocketAddress peer;
  private MemoryNetwork network;
  private Transport connection; // the real one
  private Socket far; // the peer's end
  private MemorySocket nearSocket; // the protocol's end
  private Protocol protocol;
  private Object producer;
  private String closeReason;
  private boolean aborted;
  private boolean writeClosed;
  private boolean lost;
  private int depth; // > 0 while a protocol callback runs
  private boolean pumping;

  /** Creates a transport between 127.0.0.1:8000 (host) and 127.0.0.1:54321 (peer). */
  public StringTransport() {
    this(new InetSocketAddress("127.0.0.1", 8000), new InetSocketAddress("127.0.0.1", 54321));
  }

  /** Creates a transport with the given addresses. */
  public StringTransport(SocketAddress host, SocketAddress peer) {
    this.host = Objects.requireNonNull(host, "host");
    this.peer = Objects.requireNonNull(peer, "peer");
  }

  /** Connects {@code protocol} to this transport, calling its {@link Protocol#connectionMade()}. */
  public <P extends Protocol> P connect(P protocol) {
    if (this.protocol != null) {
      throw new IllegalStateException("already connected to " + this.protocol);
    }
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    MemoryNetwork[] opened = new MemoryNetwork[1];
    Reactor reactor = MemoryTransport.manual(opened);
    network = opened[0];
    network.plug(DIALED, new MemoryNetwork.Plug(host, peer, new PeerEnd()));
    reactor
        .connectTCP(
            DIALED.getHostString(), DIALED.getPort(), Factory.of(() -> new Forwarder(protocol)))
        .addErrback(
            failure -> {
              throw new IllegalStateException(
                  "the in-memory connection failed: " + failure.message(), failure.value());
            });
    pump();
    return protocol;
  }

  // ---------------------------------------------------------------- the peer's side

  /**
   * Delivers {@code data} to the protocol in one {@link Protocol#dataReceived} call (once it
   * reads).
   */
  public void receive(byte[] data) {
    requireConnected();
    if (lost) {
      throw new IllegalStateException("the connection is closed; " + protocol + " cannot receive");
    }
    far.write(ByteBuffer.wrap(data), false);
    far.flush();
    pump();
  }

  /** Delivers {@code text} encoded as UTF-8 in one call. */
  public void receive(String text) {
    receive(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Delivers {@code data} one byte per {@link Protocol#dataReceived} call. */
  public void receiveByteByByte(byte[] data) {
    for (byte b : data) {
      if (lost) {
        return;
      }
      receive(new byte[] {b});
    }
  }

  /** Delivers {@code data} in two calls, split before index {@code at}. */
  public void receiveSplit(byte[] data, int at) {
    receive(Arrays.copyOfRange(data, 0, at));
    if (!lost) {
      receive(Arrays.copyOfRange(data, at, data.length));
    }
  }

  /**
   * Simulates the peer half-closing (shutting down its output): a {@link HalfCloseableProtocol}
   * hears {@code readConnectionLost()}, any other protocol's connection closes.
   */
  public void peerHalfClose() {
    requireConnected();
    far.shutdownOutputAfterWrites();
    pump();
  }

  /**
   * Simulates the peer closing the connection: with a {@link ConnectionDone}, a clean close (an end
   * of stream, after which the protocol's writes reset the connection); with any other reason, a
   * reset, which the protocol hears as {@link io.torsion.ConnectionLost} with the reason's message.
   */
  public void peerClose(ConnectionClosed reason) {
    requireConnected();
    if (reason instanceof ConnectionDone) {
      far.closeAfterWrites();
    } else {
      ((MemorySocket) far).abort(reason.getMessage());
    }
    pump();
  }

  /** Returns every byte written so far. */
  public byte[] value() {
    pump();
    return written.toByteArray();
  }

  /** Returns every byte written so far, decoded as UTF-8. */
  public String valueUtf8() {
    pump();
    return written.toString(StandardCharsets.UTF_8);
  }

  /** Forgets what was written so far. */
  public void clear() {
    pump();
    written.reset();
  }

  /** Returns true after {@link #abortConnection()}, or once the connection ended aborted. */
  public boolean aborted() {
    pump();
    return aborted;
  }

  /**
   * Returns true once the protocol's side shut down its output ({@link #loseWriteConnection()}).
   */
  public boolean writeClosed() {
    pump();
    return writeClosed;
  }

  /** Returns the registered producer ({@link PushProducer} or {@link PullProducer}), or null. */
  public Object producer() {
    pump();
    return producer;
  }

  /** Returns true while the connection does not read: paused by the protocol (or backed up). */
  public boolean paused() {
    pump();
    return !nearSocket.isReading();
  }

  /** Returns the reason given to {@link #loseConnection(String)}, or null. */
  public String closeReason() {
    return closeReason;
  }

  /**
   * Returns the protocol this transport delivers to now (it changes with {@link #switchProtocol}).
   */
  public Protocol protocol() {
    return protocol;
  }

  // ---------------------------------------------------------------- Transport, on the real
  // connection

  @Override
  public void write(ByteBuffer data) {
    real().write(data);
    pump();
  }

  @Override
  public void registerProducer(PushProducer producer) {
    real().registerProducer(producer);
    this.producer = producer;
    pump();
  }

  @Override
  public void registerProducer(PullProducer producer) {
    real().registerProducer(producer);
    this.producer = producer;
    pump();
  }

  @Override
  public void unregisterProducer() {
    producer = null;
    real().unregisterProducer();
    pump();
  }

  @Override
  public void loseConnection() {
    real().loseConnection();
    pump();
  }

  @Override
  public void loseConnection(String reason) {
    if (!real().disconnecting() && closeReason == null) {
      closeReason = reason;
    }
    real().loseConnection(reason);
    pump();
  }

  @Override
  public void abortConnection() {
    real().abortConnection();
    pump();
  }

  @Override
  public void loseWriteConnection() {
    real().loseWriteConnection();
    pump();
  }

  @Override
  public void switchProtocol(Protocol next, ByteBuffer unconsumed) {
    Objects.requireNonNull(next, "next");
    protocol = next;
    real().switchProtocol(new Forwarder(next), unconsumed);
    pump();
  }

  @Override
  public Deferred<TlsInfo> startTLS(TlsOptions options, ByteBuffer alreadyReceived) {
    Deferred<TlsInfo> started = real().startTLS(options, alreadyReceived);
    pump();
    return started;
  }

  @Override
  public TlsInfo tls() {
    return real().tls();
  }

  /** Returns true once closing has begun: asked by the protocol, or after the peer closed. */
  @Override
  public boolean disconnecting() {
    pump();
    return real().disconnecting();
  }

  @Override
  public SocketAddress getPeer() {
    return connection == null ? peer : connection.getPeer();
  }

  @Override
  public SocketAddress getHost() {
    return connection == null ? host : connection.getHost();
  }

  @Override
  public long bufferedBytes() {
    return real().bufferedBytes();
  }

  @Override
  public void pauseProducing() {
    real().pauseProducing();
    pump();
  }

  @Override
  public void resumeProducing() {
    real().resumeProducing();
    pump();
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs what is pending, unless a protocol callback is running (then its caller will). */
  private void pump() {
    if (depth > 0 || pumping || network == null) {
      return;
    }
    pumping = true;
    try {
      network.mainPoller().runPending();
    } finally {
      pumping = false;
    }
  }

  private Transport real() {
    requireConnected();
    if (connection == null) {
      throw new IllegalStateException("the connection did not open");
    }
    return connection;
  }

  private void requireConnected() {
    if (protocol == null) {
      throw new IllegalStateException("connect(protocol) first");
    }
  }

  @Override
  public String toString() {
    return "StringTransport[peer="
        + peer
        + ", written="
        + written.size()
        + " bytes"
        + (connection != null && connection.disconnecting() ? ", disconnecting" : "")
        + "]";
  }

  /** The peer's end: records what the protocol sends. */
  private final class PeerEnd implements SocketEvents {
    @Override
    public void opened(Socket socket, Poller poller) {
      far = socket;
      nearSocket = ((MemorySocket) socket).peer();
    }

    @Override
    public void received(ByteBuffer data) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      written.writeBytes(bytes);
    }

    @Override
    public void readBurstEnded() {}

    @Override
    public void peerHalfClosed() {
      writeClosed = true;
    }

    @Override
    public void failed(Throwable cause) {}

    @Override
    public void closed() {}

    @Override
    public void writabilityChanged() {}

    @Override
    public void connectFailed(ConnectError error) {}
  }

  /**
   * What the real connection drives: passes every event on to the protocol under test, which sees
   * this StringTransport as its transport, so that the test can watch its producer.
   */
  private final class Forwarder extends Protocol
      implements HalfCloseableProtocol, DrainableProtocol {
    private final Protocol target;

    Forwarder(Protocol target) {
      this.target = target;
    }

    @Override
    public void makeConnection(Transport transport) {
      connection = transport;
      depth++;
      try {
        target.makeConnection(StringTransport.this);
      } finally {
        depth--;
      }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      depth++;
      try {
        target.dataReceived(data);
      } finally {
        depth--;
      }
    }

    @Override
    public void readConnectionLost() {
      depth++;
      try {
        if (target instanceof HalfCloseableProtocol halfCloseable) {
          halfCloseable.readConnectionLost();
        } else {
          connection.loseConnection(); // what the connection does for other protocols
        }
      } finally {
        depth--;
      }
    }

    @Override
    public boolean drainConnection() {
      depth++;
      try {
        return target instanceof DrainableProtocol drainable && drainable.drainConnection();
      } finally {
        depth--;
      }
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      lost = true;
      aborted = reason instanceof ConnectionAborted;
      producer = null;
      depth++;
      try {
        target.connectionLost(reason);
      } finally {
        depth--;
      }
    }
  }
}
