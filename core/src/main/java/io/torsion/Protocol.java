package io.torsion;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The behaviour of one connection: Twisted's {@code Protocol}. Subclass it and override the events
 * you care about; a {@link Factory} builds one instance per connection.
 *
 * <pre>{@code
 * final class Echo extends Protocol {
 *     @Override
 *     public void dataReceived(ByteBuffer data) {
 *         transport().write(data);
 *     }
 * }
 *
 * Reactor reactor = Reactor.create();
 * reactor.listenTCP(8000, Factory.of(Echo::new));
 * reactor.run();
 * }</pre>
 *
 * <p>Every method is called on the reactor thread that owns the connection, one at a time, so a
 * protocol needs no locks. Do not block in them: a blocking call stalls every connection of that
 * reactor thread. An exception thrown by a callback is logged and aborts this connection only, with
 * {@link ConnectionLost} carrying the exception.
 */
public abstract class Protocol {
  private Transport transport;

  /** Creates a protocol not yet connected. */
  protected Protocol() {}

  /**
   * Attaches the transport and calls {@link #connectionMade()}. The reactor calls it once; call it
   * yourself only when handing a connection over to this protocol or when testing.
   */
  public void makeConnection(Transport transport) {
    if (this.transport != null) {
      throw new IllegalStateException(this + " is already connected to " + this.transport);
    }
    this.transport = Objects.requireNonNull(transport, "transport");
    connectionMade();
  }

  /** Returns the connection's transport. */
  public final Transport transport() {
    if (transport == null) {
      throw new IllegalStateException(
          this + " is not connected yet; use transport() from connectionMade() on");
    }
    return transport;
  }

  /** Returns true once {@link #makeConnection} attached a transport. */
  public final boolean connected() {
    return transport != null;
  }

  /** Called when the connection is established; the transport is usable from here on. */
  public void connectionMade() {}

  /**
   * Called with the bytes that arrived; they may be any part of what the peer sent, split or merged
   * at arbitrary points.
   *
   * <p>The buffer is lent for the duration of this call only: it is a view of the transport's read
   * buffer, which is reused once the call returns. Copy out whatever you keep. Writing the same
   * buffer back with {@link Transport#write(ByteBuffer)} during the call is allowed and sends it
   * without a copy.
   */
  public void dataReceived(ByteBuffer data) {}

  /**
   * Called once when the connection has ended, after which the transport is unusable.
   *
   * @param reason {@link ConnectionDone} for a clean close, {@link ConnectionLost} otherwise
   */
  public void connectionLost(ConnectionClosed reason) {}

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "@"
        + Integer.toHexString(System.identityHashCode(this))
        + (transport == null ? "[not connected]" : "[" + transport + "]");
  }
}
