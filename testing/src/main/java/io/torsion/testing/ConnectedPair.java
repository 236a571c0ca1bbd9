package io.torsion.testing;

import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A server protocol and a client protocol connected to each other in memory, through the reactor's
 * real connection code, with a deterministic pump: Twisted's {@code
 * iosim.connectedServerAndClient}. Nothing happens until {@link #pump()} runs what is pending, on
 * the calling thread; then the two talk until neither has anything left to say.
 *
 * <pre>{@code
 * ConnectedPair<Echo, EchoClient> pair = ConnectedPair.connect(new Echo(), new EchoClient());
 * Deferred<String> reply = pair.client().send("hello");
 * pair.pump();
 * assertThat(reply.result()).isEqualTo("hello");
 * }</pre>
 *
 * <p>The server's address is 127.0.0.1:8000, the client's 127.0.0.1:54321. Timed calls are the
 * protocols' own business: give them a {@link Clock}. Not thread-safe; use it from the test's
 * thread.
 *
 * @param <S> the server protocol's type
 * @param <C> the client protocol's type
 */
public final class ConnectedPair<S extends Protocol, C extends Protocol> {
  private static final InetSocketAddress SERVER_SIDE = new InetSocketAddress("127.0.0.1", 2);
  private static final InetSocketAddress CLIENT_SIDE = new InetSocketAddress("127.0.0.1", 3);

  private final MemoryNetwork network;
  private final Reactor reactor;
  private final S server;
  private final C client;

  private ConnectedPair(MemoryNetwork network, Reactor reactor, S server, C client) {
    this.network = network;
    this.reactor = reactor;
    this.server = server;
    this.client = client;
  }

  /**
   * Connects {@code server} and {@code client}, and pumps until both have made their connections.
   */
  public static <S extends Protocol, C extends Protocol> ConnectedPair<S, C> connect(
      S server, C client) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(client, "client");
    MemoryNetwork[] opened = new MemoryNetwork[1];
    Reactor reactor = MemoryTransport.manual(opened);
    MemoryNetwork network = opened[0];
    network.meet(
        SERVER_SIDE,
        CLIENT_SIDE,
        new InetSocketAddress("127.0.0.1", 8000),
        new InetSocketAddress("127.0.0.1", 54321));
    reactor.connectTCP(
        SERVER_SIDE.getHostString(), SERVER_SIDE.getPort(), Factory.of(() -> server));
    reactor.connectTCP(
        CLIENT_SIDE.getHostString(), CLIENT_SIDE.getPort(), Factory.of(() -> client));
    ConnectedPair<S, C> pair = new ConnectedPair<>(network, reactor, server, client);
    pair.pump();
    return pair;
  }

  /**
   * Runs everything pending (deliveries, closes, producers) until nothing is; returns whether
   * anything ran.
   */
  public boolean pump() {
    return network.mainPoller().runPending() > 0;
  }

  /** Returns the server protocol. */
  public S server() {
    return server;
  }

  /** Returns the client protocol. */
  public C client() {
    return client;
  }

  /**
   * Returns the in-memory reactor both connections belong to (never run: {@link #pump()} drives
   * it).
   */
  public Reactor reactor() {
    return reactor;
  }

  @Override
  public String toString() {
    return "ConnectedPair[" + server + " <-> " + client + "]";
  }
}
