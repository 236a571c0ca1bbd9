package io.torsion.internal;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.spi.ListenSocket;
import java.net.InetSocketAddress;

/**
 * A listening port of a {@link DefaultReactor} over a transport's {@link ListenSocket}: {@link
 * #stopListening()}'s Deferred fires once the socket is released, on the thread that asked.
 * Threads: the main loop's, which is the only one that may listen and stop.
 */
final class Port implements ListeningPort {
  private final DefaultReactor reactor;
  private final Factory<?> factory;
  private final ListenSocket socket;
  private Deferred<Void> stopped;

  Port(DefaultReactor reactor, Factory<?> factory, ListenSocket socket) {
    this.reactor = reactor;
    this.factory = factory;
    this.socket = socket;
  }

  @Override
  public InetSocketAddress getHost() {
    return socket.address();
  }

  @Override
  public Deferred<Void> stopListening() {
    Loop caller = reactor.claimThread("stopListening");
    if (stopped == null) {
      stopped = new Deferred<>();
      // Fired on the thread that asked, once its loop has polled again: only then is the socket
      // released.
      caller.runOnOwner(
          () ->
              socket.close(
                  () ->
                      caller.execute(
                          () ->
                              caller.afterNextPoll(
                                  () -> {
                                    reactor.portStopped(this, factory);
                                    stopped.callback(null);
                                  }))));
    }
    return stopped;
  }

  @Override
  public String toString() {
    return "ListeningPort["
        + socket.address()
        + ", "
        + (stopped == null ? "listening" : "stopped")
        + "]";
  }
}
