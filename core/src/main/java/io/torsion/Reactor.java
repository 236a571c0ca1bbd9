package io.torsion;

import io.torsion.internal.TransportSelector;
import io.torsion.spi.ReactorProvider;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsServerOptions;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The event loop: it owns the sockets and timers, and calls your protocols when something happens.
 * Twisted's reactor, created per use rather than global.
 *
 * <pre>{@code
 * Reactor reactor = Reactor.create();             // the best transport of this machine
 * reactor.listenTCP(8000, Factory.of(Echo::new));
 * reactor.callLater(Duration.ofMinutes(1), reactor::stop);
 * reactor.run();                                  // returns after stop()
 * }</pre>
 *
 * <h2>Choosing the transport</h2>
 *
 * {@link #create()} loads every {@link io.torsion.spi.ReactorProvider} on the class path and picks
 * the available one with the highest priority for this platform (epoll on Linux, kqueue on macOS
 * and BSD, IOCP on Windows, NIO everywhere). The system property {@code torsion.reactor}, else the
 * environment variable {@code TORSION_REACTOR}, else {@link ReactorOptions#transport()} forces a
 * provider by name; a forced provider that is unknown or cannot run throws {@link
 * ReactorUnavailableException} and never falls back. {@link #report()} says what was chosen and
 * why.
 *
 * <h2>Threads</h2>
 *
 * The thread that calls {@link #run()} becomes the reactor thread: every protocol callback, {@link
 * Deferred} fired by the reactor and {@link DelayedCall} runs on it, one at a time. Before {@code
 * run()}, the thread that created the reactor may set it up (listen, connect, schedule). Only
 * {@link #callFromThread}, {@link #callInThread}, {@link #blockingCallFromThread}, {@link
 * #suggestThreadPoolSize}, {@link #stop()}, {@link #isReactorThread()} and {@link #report()} are
 * safe to call from any thread; the other methods are called on the reactor thread and throw {@link
 * IllegalStateException} elsewhere.
 */
public interface Reactor extends ReactorTime, ReactorThreads, ReactorProcess {
  /** Creates a reactor on the best available transport, with default options. */
  static Reactor create() {
    return create(ReactorOptions.defaults());
  }

  /**
   * Creates a reactor with {@code options}.
   *
   * @throws ReactorUnavailableException if no provider can run, or the forced one cannot
   */
  static Reactor create(ReactorOptions options) {
    return TransportSelector.createReactor(options);
  }

  /**
   * Creates a reactor on exactly {@code provider}, without selection: no property, environment
   * variable or option chooses another. For transport tests and in-memory tests; applications use
   * {@link #create(ReactorOptions)}.
   *
   * @throws ReactorUnavailableException if the provider cannot run here
   */
  static Reactor create(ReactorOptions options, ReactorProvider provider) {
    return TransportSelector.createReactor(options, provider);
  }

  /** Listens on {@code port} on every interface; see {@link #listenTCP(int, String, Factory)}. */
  default ListeningPort listenTCP(int port, Factory<?> factory) throws CannotListenError {
    return listenTCP(port, null, factory);
  }

  /**
   * Binds {@code host}:{@code port} and accepts connections with protocols built by {@code
   * factory}. The socket is bound and listening when this returns.
   *
   * @param port the port, or 0 for one the OS picks (read it back with {@link
   *     ListeningPort#port()})
   * @param host the local address or name to bind, or null for every interface
   * @throws CannotListenError if the address is in use or cannot be bound; names host and port
   * @throws IllegalArgumentException if {@code port} is outside 0..65535
   */
  ListeningPort listenTCP(int port, String host, Factory<?> factory) throws CannotListenError;

  /**
   * Listens as {@link #listenTCP(int, String, Factory)} does, with an accept queue of {@code
   * backlog} connections (the kernel caps it at its own maximum, {@code net.core.somaxconn} on
   * Linux); 0 keeps the transport's, 4096 or the kernel's maximum.
   */
  ListeningPort listenTCP(int port, String host, Factory<?> factory, int backlog)
      throws CannotListenError;

  /**
   * Listens on the UNIX domain socket {@code path} (Twisted's {@code listenUNIX}) with protocols
   * built by {@code factory}; the socket file gets {@code mode} (null: {@code rw-rw----}, the owner
   * and its group). A socket file left by a process that is gone is replaced; one that a process
   * still listens on, or a file that is not a socket, is not touched: {@link CannotListenError}.
   * The file is removed when the port stops. {@link Transport#getPeer()} is a {@link
   * java.net.UnixDomainSocketAddress}; {@link Transport#peerCredentials()} says who connected.
   *
   * @throws CannotListenError if the path is taken or cannot be bound, or the transport has no UNIX
   *     domain sockets
   */
  UnixPort listenUNIX(Path path, Factory<?> factory, Set<PosixFilePermission> mode)
      throws CannotListenError;

  /**
   * Serves on a listening TCP socket this process inherited as {@code fileDescriptor} (Twisted's
   * {@code adoptStreamPort}): from systemd's socket activation (fd 3 on; {@code Endpoints}'s {@code
   * systemd:} strings find it) or inetd-style on fd 0. The socket is already bound and listening;
   * stopping the port closes this process's descriptor. epoll and kqueue wrap any descriptor; NIO
   * only fd 0, through {@link System#inheritedChannel()}; others refuse, saying so.
   *
   * @throws CannotListenError if the descriptor is not a listening socket or the transport cannot
   *     adopt it
   */
  ListeningPort adoptStreamPort(int fileDescriptor, Factory<?> factory) throws CannotListenError;

  /**
   * Serves on a listening UNIX domain socket this process inherited as {@code fileDescriptor}, as
   * {@link #adoptStreamPort} does; stopping the port leaves the socket file to whoever made it.
   */
  UnixPort adoptUnixPort(int fileDescriptor, Factory<?> factory) throws CannotListenError;

  /**
   * Connects to the UNIX domain socket {@code path} (Twisted's {@code connectUNIX}); fires with the
   * protocol once connected, or fails with a {@link ConnectError} (a {@link ConnectionRefusedError}
   * when nothing listens there).
   */
  <P extends Protocol> Deferred<P> connectUNIX(Path path, Factory<P> factory);

  /**
   * Binds the UDP port {@code host}:{@code port} for {@code protocol} with the {@link
   * DatagramOptions#defaults()} (Twisted's {@code listenUDP}); see {@link #listenUDP(int, String,
   * DatagramProtocol, DatagramOptions)}.
   */
  default DatagramTransport listenUDP(int port, String host, DatagramProtocol protocol)
      throws CannotListenError {
    return listenUDP(port, host, protocol, DatagramOptions.defaults());
  }

  /**
   * Binds the UDP port {@code host}:{@code port} for {@code protocol}: bound when this returns,
   * {@link DatagramProtocol#startProtocol()} called, datagrams delivered on the main reactor
   * thread. IPv4 and IPv6 (a host of {@code "::"} or null binds every address of both where the
   * system allows).
   *
   * @param port the port, or 0 for one the OS picks (read it back with {@link
   *     DatagramTransport#getHost()})
   * @param host the local address or name to bind, or null for every interface
   * @throws CannotListenError if the address is in use or cannot be bound, or the transport has no
   *     datagrams
   */
  DatagramTransport listenUDP(
      int port, String host, DatagramProtocol protocol, DatagramOptions options)
      throws CannotListenError;

  /**
   * Listens as {@link #listenTCP(int, String, Factory)} does, with TLS on every connection
   * (Twisted's {@code listenSSL}): a protocol is built once its connection's handshake is done, so
   * that {@link Transport#tls()} tells it the SNI name, the ALPN protocol and the client's
   * certificates in {@code connectionMade}. A handshake that fails or does not finish within {@link
   * TlsServerOptions#handshakeTimeout()} closes its connection, with nothing built; failures are
   * logged at DEBUG, with at most one INFO line a minute counting them.
   *
   * <pre>{@code
   * Identity site = Identity.fromPem(Path.of("fullchain.pem"), Path.of("privkey.pem"));
   * reactor.listenSSL(8443, null, Factory.of(Echo::new), TlsServerOptions.of(site));
   * }</pre>
   *
   * @throws CannotListenError if the address is in use or cannot be bound
   */
  ListeningPort listenSSL(int port, String host, Factory<?> factory, TlsServerOptions tls)
      throws CannotListenError;

  /**
   * Connects as {@link #connectTCP(String, int, Factory)} does, then does a TLS handshake as the
   * client, verifying the server's certificate and that it names {@code host} (unless {@code tls}
   * says otherwise). The Deferred fires once the handshake is done, after the protocol's {@code
   * connectionMade}, or fails with a {@link TlsHandshakeError} that says why (unknown CA, host name
   * mismatch, expired, protocol version, ...).
   */
  <P extends Protocol> Deferred<P> connectSSL(
      String host, int port, Factory<P> factory, TlsClientOptions tls);

  /**
   * Connects with TLS as {@link #connectSSL(String, int, Factory, TlsClientOptions)}, the TCP
   * connection within {@code timeout} (the handshake within the options' handshake timeout).
   */
  <P extends Protocol> Deferred<P> connectSSL(
      String host, int port, Factory<P> factory, TlsClientOptions tls, Duration timeout);

  /**
   * Connects to {@code host}:{@code port} within {@link ReactorOptions#connectTimeout()}; see
   * {@link #connectTCP(String, int, Factory, Duration)}.
   */
  <P extends Protocol> Deferred<P> connectTCP(String host, int port, Factory<P> factory);

  /**
   * Connects to {@code host}:{@code port} and attaches a protocol built by {@code factory}. Name
   * resolution runs off the reactor thread.
   *
   * @return a Deferred that fires with the connected protocol, after its {@link
   *     Protocol#connectionMade()}, or fails with {@link ConnectionRefusedError}, {@link
   *     ConnectTimeoutError}, {@link DNSLookupError} or another {@link ConnectError}
   */
  <P extends Protocol> Deferred<P> connectTCP(
      String host, int port, Factory<P> factory, Duration timeout);

  /**
   * Runs the event loop on the calling thread until {@link #stop()}, then shuts down: fires the
   * shutdown triggers, stops listening, closes connections (flushing within the shutdown timeout),
   * ends child processes (see {@link ReactorOptions#childProcesses()}), stops the worker pool and
   * releases the transport's resources. A reactor runs once.
   *
   * @throws IllegalStateException if the reactor is already running or has stopped
   */
  void run();

  /**
   * Asks the reactor to stop: {@link #run()} shuts down and returns. Before {@code run()}, it
   * releases the reactor's resources instead. Safe to call from any thread, more than once, and
   * from callbacks.
   */
  void stop();

  /**
   * Adds {@code trigger} to run on the reactor thread at {@code phase} of {@code event}. A trigger
   * may return a Deferred (or null); the reactor waits for it, within the shutdown timeout, before
   * it proceeds to the next phase.
   *
   * <pre>{@code
   * reactor.addSystemEventTrigger(TriggerPhase.BEFORE, SystemEvent.SHUTDOWN, () -> database.flush());
   * }</pre>
   */
  void addSystemEventTrigger(
      TriggerPhase phase, SystemEvent event, Supplier<? extends Deferred<?>> trigger);

  /** Returns true when called on this reactor's thread. Safe to call from any thread. */
  boolean isReactorThread();

  /** Returns which transport this reactor runs on, how it was chosen, and its limits. */
  ReactorReport report();

  /** Returns a snapshot of the reactor's counters. Safe to call from any thread. */
  ReactorStats stats();
}
