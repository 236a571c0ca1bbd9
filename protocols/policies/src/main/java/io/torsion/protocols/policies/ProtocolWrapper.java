package io.torsion.protocols.policies;

import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.DrainableProtocol;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.Transport;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A protocol that stands between a connection and another protocol: Twisted's {@code
 * ProtocolWrapper}. It is the wrapped protocol's {@link Transport}; by default every event and
 * every call passes straight through, and a policy overrides the ones it watches.
 *
 * <pre>{@code
 * final class CountingWrapper extends ProtocolWrapper {
 *     long read;
 *     CountingWrapper(Protocol wrapped) { super(wrapped); }
 *     public void dataReceived(ByteBuffer data) { read += data.remaining(); super.dataReceived(data); }
 * }
 * }</pre>
 *
 * <p>{@link #switchProtocol} from the wrapped protocol replaces the wrapped protocol and keeps the
 * wrapper, so a policy outlives a protocol switch. Called on the reactor thread.
 */
public class ProtocolWrapper extends Protocol
    implements Transport, HalfCloseableProtocol, DrainableProtocol {
  private Protocol wrapped;

  /** Wraps {@code wrapped}, which is connected when this wrapper is. */
  protected ProtocolWrapper(Protocol wrapped) {
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
  }

  /** Returns the protocol this wrapper delivers to now. */
  public final Protocol wrapped() {
    return wrapped;
  }

  // ---------------------------------------------------------------- events from the connection

  @Override
  public void connectionMade() {
    wrapped.makeConnection(this);
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    wrapped.dataReceived(data);
  }

  @Override
  public void readConnectionLost() {
    if (wrapped instanceof HalfCloseableProtocol halfCloseable) {
      halfCloseable.readConnectionLost();
    } else {
      transport().loseConnection();
    }
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    wrapped.connectionLost(reason);
  }

  @Override
  public boolean drainConnection() {
    return wrapped instanceof DrainableProtocol drainable && drainable.drainConnection();
  }

  // ---------------------------------------------------------------- calls from the wrapped
  // protocol

  @Override
  public void write(ByteBuffer data) {
    transport().write(data);
  }

  @Override
  public void registerProducer(PushProducer producer) {
    transport().registerProducer(producer);
  }

  @Override
  public void registerProducer(PullProducer producer) {
    transport().registerProducer(producer);
  }

  @Override
  public void unregisterProducer() {
    transport().unregisterProducer();
  }

  @Override
  public void loseConnection() {
    transport().loseConnection();
  }

  @Override
  public void loseConnection(String reason) {
    transport().loseConnection(reason);
  }

  @Override
  public void abortConnection() {
    transport().abortConnection();
  }

  @Override
  public void loseWriteConnection() {
    transport().loseWriteConnection();
  }

  @Override
  public void switchProtocol(Protocol next, ByteBuffer unconsumed) {
    Objects.requireNonNull(next, "next");
    ByteBuffer rest = ByteBuffer.allocate(unconsumed.remaining());
    rest.put(unconsumed).flip(); // the caller's buffer may be a lent view
    wrapped = next;
    next.makeConnection(this);
    if (rest.hasRemaining() && !disconnecting()) {
      next.dataReceived(rest);
    }
  }

  @Override
  public boolean disconnecting() {
    return transport().disconnecting();
  }

  @Override
  public Deferred<TlsInfo> startTLS(TlsOptions options, ByteBuffer alreadyReceived) {
    return transport().startTLS(options, alreadyReceived);
  }

  @Override
  public TlsInfo tls() {
    return transport().tls();
  }

  @Override
  public SocketAddress getPeer() {
    return transport().getPeer();
  }

  @Override
  public SocketAddress getHost() {
    return transport().getHost();
  }

  @Override
  public long bufferedBytes() {
    return transport().bufferedBytes();
  }

  @Override
  public void pauseProducing() {
    transport().pauseProducing();
  }

  @Override
  public void resumeProducing() {
    transport().resumeProducing();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + wrapped.getClass().getSimpleName()
        + ", "
        + (connected() ? transport() : "not connected")
        + "]";
  }
}
