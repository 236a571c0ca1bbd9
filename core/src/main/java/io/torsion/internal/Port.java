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

  private final Runnable afterStop;

  Port(DefaultReactor reactor, Factory<?> factory, ListenSocket socket) {
    this(reactor, factory, socket, () -> {});
  }

  /**
   * A port that runs {@code afterStop} once its socket is closed (a UNIX port removes its file).
   */
  Port(DefaultReactor reactor, Factory<?> factory, ListenSocket socket, Runnable afterStop) {
    this.reactor = reactor;
    this.factory = factory;
    this.socket = socket;
    this.afterStop = afterStop;
  }

  @Override
  public InetSocketAddress getHost() {
    return (InetSocketAddress) socket.address();
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
                                    Contained.run(afterStop, this, "removing its socket file");
                                    stopped.callback(null);
                                  }))));
    }
    return stopped;
  }

  @Override
  public String toString() {
    return (socket.address() instanceof InetSocketAddress ? "ListeningPort[" : "UnixPort[")
        + socket.address()
        + ", "
        + (stopped == null ? "listening" : "stopped")
        + "]";
  }
}
