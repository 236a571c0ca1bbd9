package io.torsion.spi;

/**
 * What the runtime gives a listening socket: for each socket it accepts, the poller to open it on
 * and the events to report to. Called on the listening socket's thread.
 */
public interface Acceptor {
  /** Returns the poller for the next accepted socket: the reactor's loops in turn. */
  Poller nextPoller();

  /** Returns the events of a newly accepted socket. */
  SocketEvents accepted();

  /**
   * Reports an accept that failed (above all EMFILE, out of file descriptors), for the reactor's
   * counters; {@code backingOff} when the socket now pauses accepting for its {@link
   * AcceptBackoff}.
   */
  default void acceptFailed(Throwable error, boolean backingOff) {}
}
