package io.torsion;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A UDP protocol (Twisted's {@code DatagramProtocol}): one instance per port, given to {@link
 * Reactor#listenUDP}; every callback runs on the reactor thread.
 *
 * <pre>{@code
 * class Echo extends DatagramProtocol {
 *   @Override
 *   public void datagramReceived(ByteBuffer data, InetSocketAddress sender) {
 *     transport().write(data, sender);
 *   }
 * }
 * reactor.listenUDP(9999, "127.0.0.1", new Echo());
 * }</pre>
 */
public abstract class DatagramProtocol {
  private DatagramTransport transport;

  /** Creates a protocol not yet listening. */
  protected DatagramProtocol() {}

  /**
   * Attaches the transport and calls {@link #startProtocol()}. The reactor calls it once; call it
   * yourself only when testing.
   */
  public void makeConnection(DatagramTransport transport) {
    if (this.transport != null) {
      throw new IllegalStateException(this + " is already listening on " + this.transport);
    }
    this.transport = Objects.requireNonNull(transport, "transport");
    startProtocol();
  }

  /** Returns the port's transport. */
  public final DatagramTransport transport() {
    if (transport == null) {
      throw new IllegalStateException(
          this + " is not listening yet; use transport() from startProtocol() on");
    }
    return transport;
  }

  /** Called when the port is bound; the transport is usable from here on. */
  public void startProtocol() {}

  /**
   * Called with each datagram that arrives, up to the port's {@link
   * DatagramOptions#maxDatagramSize()} (larger ones are dropped and counted). {@code data} is valid
   * only during the call: copy what you keep.
   */
  public void datagramReceived(ByteBuffer data, InetSocketAddress sender) {}

  /**
   * Called on a connected port ({@link DatagramTransport#connect}) when the peer's host answered
   * that nothing listens there (an ICMP port unreachable). The port stays open.
   */
  public void connectionRefused() {}

  /** Called once the port has stopped listening. */
  public void stopProtocol() {}

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
