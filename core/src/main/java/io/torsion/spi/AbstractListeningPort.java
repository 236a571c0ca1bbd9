package io.torsion.spi;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import java.net.InetSocketAddress;

/**
 * A listening port of an {@link AbstractReactor}: the transport closes its sockets, and this class
 * fires {@link #stopListening()}'s Deferred once they are released, on the thread that asked.
 */
public abstract class AbstractListeningPort implements ListeningPort {
  private final AbstractReactor<?> reactor;
  private final Factory<?> factory;
  private final InetSocketAddress address;
  private Deferred<Void> stopped;

  /** Creates the port of {@code reactor}, bound to {@code address}, serving {@code factory}. */
  protected AbstractListeningPort(AbstractReactor<?> reactor, Factory<?> factory, InetSocketAddress address) {
    this.reactor = reactor;
    this.factory = factory;
    this.address = address;
  }

  /** Closes every socket of this port and runs {@code whenClosed} (on any thread) once all are. */
  protected abstract void closeSockets(Runnable whenClosed);

  @Override
  public final InetSocketAddress getHost() {
    return address;
  }

  @Override
  public final Deferred<Void> stopListening() {
    ReactorLoop caller = reactor.claimThread("stopListening");
    if (stopped == null) {
      stopped = new Deferred<>();
      // Fired on the thread that asked, once its loop has polled again: only then is the socket released.
      closeSockets(() -> caller.execute(() -> caller.afterNextPoll(() -> {
        reactor.portStopped(this, factory);
        stopped.callback(null);
      })));
    }
    return stopped;
  }

  @Override
  public String toString() {
    return "ListeningPort[" + address + ", " + (stopped == null ? "listening" : "stopped") + "]";
  }
}
