package io.torsion.spi;

import java.net.SocketAddress;

/** A bound listening socket (or one per thread, sharing the port), as a transport implements it. */
public interface ListenSocket {
  /** Returns the address bound, with the real port when 0 was asked for. */
  SocketAddress address();

  /** Closes the socket(s), then runs {@code whenClosed}, on any thread. */
  void close(Runnable whenClosed);
}
