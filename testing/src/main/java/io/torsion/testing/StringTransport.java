package io.torsion.testing;

import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An in-memory {@link Transport} for testing protocols without sockets: Twisted's {@code
 * StringTransport}. It records what the protocol writes, and feeds it bytes as if they came from
 * the peer, whole or split at any point.
 *
 * <pre>{@code
 * StringTransport transport = new StringTransport();
 * Echo echo = new Echo();
 * transport.connect(echo);
 * transport.receive("hello");
 * assertThat(transport.valueUtf8()).isEqualTo("hello");
 * }</pre>
 *
 * <p>{@link #loseConnection()} and {@link #abortConnection()} deliver {@link
 * Protocol#connectionLost} to the connected protocol once the current callback has returned, as
 * a reactor would. Not thread-safe; everything runs on the test's thread.
 */
public final class StringTransport implements Transport {
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final SocketAddress host;
  private final SocketAddress peer;
  private Protocol protocol;
  private boolean disconnecting;
  private boolean aborted;
  private boolean writeClosed;
  private boolean paused;
  private boolean lost;
  private int delivering;
  private Object producer;
  private String closeReason;

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
    delivering++;
    try {
      protocol.makeConnection(this);
    } finally {
      delivering--;
    }
    deliverLossIfDue();
    return protocol;
  }

  /** Delivers {@code data} to the protocol in one {@link Protocol#dataReceived} call. */
  public void receive(byte[] data) {
    requireConnected();
    if (lost) {
      throw new IllegalStateException("the connection is closed; " + protocol + " cannot receive");
    }
    delivering++;
    try {
      protocol.dataReceived(ByteBuffer.wrap(data.clone()).asReadOnlyBuffer());
    } finally {
      delivering--;
    }
    deliverLossIfDue();
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
    receive(java.util.Arrays.copyOfRange(data, 0, at));
    if (!lost) {
      receive(java.util.Arrays.copyOfRange(data, at, data.length));
    }
  }

  /** Simulates the peer half-closing: calls {@link HalfCloseableProtocol#readConnectionLost()}, or loses the connection. */
  public void peerHalfClose() {
    requireConnected();
    if (protocol instanceof HalfCloseableProtocol halfCloseable) {
      halfCloseable.readConnectionLost();
    } else {
      loseConnection();
    }
  }

  /** Simulates the peer closing the connection: delivers {@code connectionLost(reason)} now. */
  public void peerClose(ConnectionClosed reason) {
    requireConnected();
    disconnecting = true;
    deliverLoss(reason);
  }

  /** Returns every byte written so far. */
  public byte[] value() {
    return written.toByteArray();
  }

  /** Returns every byte written so far, decoded as UTF-8. */
  public String valueUtf8() {
    return written.toString(StandardCharsets.UTF_8);
  }

  /** Forgets what was written so far. */
  public void clear() {
    written.reset();
  }

  /** Returns true after {@link #loseConnection()} or {@link #abortConnection()}, or once the peer closed. */
  @Override
  public boolean disconnecting() {
    return disconnecting;
  }

  /** Returns true after {@link #abortConnection()}. */
  public boolean aborted() {
    return aborted;
  }

  /** Returns true after {@link #loseWriteConnection()}. */
  public boolean writeClosed() {
    return writeClosed;
  }

  /** Returns the registered producer ({@link PushProducer} or {@link PullProducer}), or null. */
  public Object producer() {
    return producer;
  }

  /** Returns true while the protocol has paused reading. */
  public boolean paused() {
    return paused;
  }

  @Override
  public void write(ByteBuffer data) {
    if (disconnecting || writeClosed) {
      data.position(data.limit());
      return;
    }
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    written.writeBytes(bytes);
  }

  @Override
  public void registerProducer(PushProducer producer) {
    register(producer);
  }

  @Override
  public void registerProducer(PullProducer producer) {
    register(producer);
  }

  private void register(Object newProducer) {
    Objects.requireNonNull(newProducer, "producer");
    if (producer != null) {
      throw new IllegalStateException("a producer is registered already: " + producer);
    }
    producer = newProducer;
  }

  @Override
  public void unregisterProducer() {
    producer = null;
  }

  @Override
  public void loseConnection() {
    if (!disconnecting) {
      disconnecting = true;
      deliverLossIfDue();
    }
  }

  @Override
  public void switchProtocol(Protocol next, ByteBuffer unconsumed) {
    requireConnected();
    ByteBuffer rest = ByteBuffer.allocate(unconsumed.remaining());
    rest.put(unconsumed).flip();
    protocol = Objects.requireNonNull(next, "next");
    delivering++;
    try {
      next.makeConnection(this);
      if (rest.hasRemaining() && !lost) {
        next.dataReceived(rest);
      }
    } finally {
      delivering--;
    }
  }

  /** Returns the protocol this transport delivers to now (it changes with {@link #switchProtocol}). */
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public void loseConnection(String reason) {
    if (!disconnecting) {
      closeReason = reason;
      loseConnection();
    }
  }

  /** Returns the reason given to {@link #loseConnection(String)}, or null. */
  public String closeReason() {
    return closeReason;
  }

  @Override
  public void abortConnection() {
    if (!lost) {
      disconnecting = true;
      aborted = true;
      deliverLossIfDue();
    }
  }

  @Override
  public void loseWriteConnection() {
    writeClosed = true;
  }

  @Override
  public SocketAddress getPeer() {
    return peer;
  }

  @Override
  public SocketAddress getHost() {
    return host;
  }

  @Override
  public long bufferedBytes() {
    return 0;
  }

  @Override
  public void pauseProducing() {
    paused = true;
  }

  @Override
  public void resumeProducing() {
    paused = false;
  }

  private void deliverLossIfDue() {
    if (disconnecting && delivering == 0 && protocol != null && !lost) {
      deliverLoss(aborted
          ? new ConnectionAborted("connection aborted by this side", null)
          : closeReason != null ? new io.torsion.ConnectionLost(closeReason, null)
          : new ConnectionDone("connection closed cleanly"));
    }
  }

  private void deliverLoss(ConnectionClosed reason) {
    if (!lost) {
      lost = true;
      protocol.connectionLost(reason);
    }
  }

  private void requireConnected() {
    if (protocol == null) {
      throw new IllegalStateException("connect(protocol) first");
    }
  }

  @Override
  public String toString() {
    return "StringTransport[peer=" + peer + ", written=" + written.size() + " bytes"
        + (disconnecting ? ", disconnecting" : "") + (paused ? ", paused" : "") + "]";
  }
}
