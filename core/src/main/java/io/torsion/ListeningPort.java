package io.torsion;

import java.net.InetSocketAddress;

/** A bound, listening TCP port, returned by {@link Reactor#listenTCP}. */
public interface ListeningPort {
  /** Returns the bound address; with port 0 requested, this holds the port the OS picked. */
  InetSocketAddress getHost();

  /** Returns the bound port number. */
  default int port() {
    return getHost().getPort();
  }

  /**
   * Stops accepting connections; existing connections stay open. The Deferred fires with null once
   * the socket is closed. Safe to call more than once. Called on the reactor thread.
   */
  Deferred<Void> stopListening();
}
