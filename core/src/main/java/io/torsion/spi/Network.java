package io.torsion.spi;

import io.torsion.CannotListenError;
import io.torsion.ConnectError;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A transport's sockets: what a {@link ReactorProvider} opens for one reactor. The runtime asks it
 * for one {@link Poller} per thread, then listens and connects through it; the reactor, the
 * connection state machine, timers, workers and shutdown are the runtime's, shared by every
 * transport.
 */
public interface Network {
  /**
   * Creates the poller of loop {@code index} (0 is the main loop, the one {@code run()} drives);
   * called once per loop, in order, before any other method.
   *
   * @param timers the loop's timed calls, for a transport that needs its own (connect timeouts,
   *     accept back-off); run on the owner thread
   */
  Poller newPoller(int index, TimerQueue timers);

  /**
   * Binds a listening socket; called on the main loop's thread, bound when it returns. Each
   * accepted socket gets its events from {@code acceptor} and reports {@link SocketEvents#opened}
   * on the acceptor's next poller (or, where each loop listens on a socket of its own, on that
   * loop's).
   *
   * @param where {@code host:port} as the user gave it, for error messages
   * @param backlog the accept queue's length, or 0 for the transport's own
   */
  ListenSocket listen(InetSocketAddress address, String where, Acceptor acceptor, int backlog)
      throws CannotListenError;

  /**
   * Starts connecting to {@code address} on {@code poller} (called on its thread); the socket
   * reports {@link SocketEvents#opened} or {@link SocketEvents#connectFailed} to {@code events}.
   *
   * @param destination {@code host:port} as the user gave it, for error messages
   */
  void connect(
      Poller poller,
      InetSocketAddress address,
      String destination,
      Duration timeout,
      SocketEvents events);

  /**
   * Binds a listening UNIX domain socket at {@code path} (the caller has removed a stale file);
   * called on the main loop's thread, bound when it returns. A transport without UNIX domain
   * sockets keeps this default, which says so.
   */
  default ListenSocket listenUnix(Path path, Acceptor acceptor) throws CannotListenError {
    throw new CannotListenError(
        "cannot listen on UNIX socket " + path + ": this transport has no UNIX domain sockets",
        null);
  }

  /**
   * Listens on a socket this process inherited, already bound and listening, as {@code
   * fileDescriptor} (a UNIX domain socket if {@code unix}); called on the main loop's thread. A
   * transport that cannot wrap a descriptor keeps this default, which says so.
   */
  default ListenSocket adopt(int fileDescriptor, boolean unix, Acceptor acceptor)
      throws CannotListenError {
    throw new CannotListenError(
        "cannot adopt file descriptor " + fileDescriptor + ": this transport cannot wrap one",
        null);
  }

  /**
   * Starts connecting to the UNIX domain socket {@code path} on {@code poller}, as {@link #connect}
   * does for TCP.
   */
  default void connectUnix(Poller poller, Path path, Duration timeout, SocketEvents events) {
    events.connectFailed(
        new ConnectError(
            "cannot connect to UNIX socket " + path + ": this transport has no UNIX domain sockets",
            null));
  }

  /**
   * Binds a UDP socket on {@code poller} (called on its thread), bound when it returns; its events
   * go to {@code events} on that thread. A transport without datagrams keeps this default, which
   * says so.
   *
   * @param where {@code host:port} as the user gave it, for error messages
   * @param maxDatagramSize the largest datagram to deliver; larger ones are reported {@link
   *     DatagramEvents#oversized}
   * @param reuseAddress whether to set {@code SO_REUSEADDR} before binding
   */
  default DatagramSocket bindDatagram(
      Poller poller,
      InetSocketAddress address,
      String where,
      int maxDatagramSize,
      boolean reuseAddress,
      DatagramEvents events)
      throws CannotListenError {
    throw new CannotListenError(
        "cannot listen on UDP " + where + ": this transport has no datagrams", null);
  }

  /**
   * Returns facts for the reactor's report (limits, threads), one {@code "name: value"} line each.
   */
  List<String> details();
}
