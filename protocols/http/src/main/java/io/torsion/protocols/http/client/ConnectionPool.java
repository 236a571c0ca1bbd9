package io.torsion.protocols.http.client;

import io.torsion.ConnectError;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.TlsHandshakeError;
import io.torsion.tls.TlsClientOptions;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connections of one client, pooled per origin: an exchange takes the most recently used idle
 * connection of its origin, or a new one while the origin has fewer than {@link
 * HttpClientOptions#maxConnectionsPerHost()} and the client fewer than {@link
 * HttpClientOptions#maxConnections()} (closing an idle connection of another origin to make room),
 * or waits in its origin's queue. A connection that fails to open fails the exchange that waited
 * longest; the others try again.
 */
final class ConnectionPool {
  private final Reactor reactor;
  private final HttpClientOptions options;
  private final HostResolver resolver;
  private final Map<Origin, Host> hosts = new HashMap<>();
  private int open; // connected, connecting or resolving
  private long opened;
  private boolean closed;
  private Deferred<Void> whenClosed;

  /** The connections and queue of one origin. */
  private static final class Host {
    final Origin origin;
    final ArrayDeque<ClientConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    int connections; // every state
    int connecting;

    Host(Origin origin) {
      this.origin = origin;
    }
  }

  ConnectionPool(Reactor reactor, HttpClientOptions options) {
    this.reactor = reactor;
    this.options = options;
    this.resolver = options.resolver() != null ? options.resolver() : HostResolver.system(reactor);
  }

  int openConnections() {
    return open;
  }

  int idleConnections() {
    int idle = 0;
    for (Host host : hosts.values()) {
      idle += host.idle.size();
    }
    return idle;
  }

  long connectionsOpened() {
    return opened;
  }

  // ---------------------------------------------------------------- exchanges

  void submit(Exchange exchange) {
    if (closed) {
      exchange.fail(
          new HttpClientError(HttpClientError.Reason.CLIENT_CLOSED, "the client is closed"));
      return;
    }
    Host host = hosts.computeIfAbsent(exchange.origin, Host::new);
    host.waiting.add(exchange);
    dispatch(host);
  }

  /** Sends {@code exchange} again, first in line: its reused connection closed under it. */
  void retry(Exchange exchange) {
    Host host = hosts.computeIfAbsent(exchange.origin, Host::new);
    host.waiting.addFirst(exchange);
    dispatch(host);
  }

  void cancel(Exchange exchange) {
    exchange.finished = true;
    Host host = hosts.get(exchange.origin);
    if (host != null && host.waiting.remove(exchange)) {
      return;
    }
    if (exchange.connection != null) {
      exchange.connection.cancel(exchange);
    }
  }

  /** Gives waiting exchanges of {@code host} idle connections, or opens connections for them. */
  private void dispatch(Host host) {
    while (!host.waiting.isEmpty()) {
      ClientConnection idle = host.idle.pollLast();
      if (idle != null) {
        if (idle.idle()) {
          idle.start(host.waiting.poll());
        }
        continue; // a closed one is dropped; try the next
      }
      if (host.connecting >= host.waiting.size()
          || host.connections >= options.maxConnectionsPerHost()
          || !roomForOne(host)) {
        return;
      }
      connect(host);
    }
  }

  /** Returns true if one more connection fits, closing an idle one elsewhere if it must. */
  private boolean roomForOne(Host wanting) {
    if (open < options.maxConnections()) {
      return true;
    }
    for (Host other : hosts.values()) {
      ClientConnection oldest = other == wanting ? null : other.idle.pollFirst();
      if (oldest != null) {
        oldest.close(); // its connectionLost counts it out; count it out now to make room
        forget(other, oldest);
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- connections

  private void connect(Host host) {
    host.connections++;
    host.connecting++;
    open++;
    opened++;
    Origin origin = host.origin;
    resolver
        .resolve(origin.host())
        .addCallbacks(
            addresses -> {
              connectTo(host, addresses, 0);
              return null;
            },
            failure -> {
              connectFailed(host, failure.value());
              return null;
            });
  }

  private void connectTo(Host host, List<InetAddress> addresses, int index) {
    Origin origin = host.origin;
    String address = addresses.get(index).getHostAddress();
    Factory<ClientConnection> factory =
        Factory.of(() -> new ClientConnection(this, origin, options, reactor));
    Deferred<ClientConnection> connecting;
    if (origin.secure()) {
      TlsClientOptions tls =
          IpLiterals.isLiteral(origin.host())
              ? options.tls()
              : options.tls().withServerName(origin.host());
      connecting =
          reactor.connectSSL(address, origin.port(), factory, tls, options.connectTimeout());
    } else {
      connecting = reactor.connectTCP(address, origin.port(), factory, options.connectTimeout());
    }
    connecting.addCallbacks(
        connection -> {
          connected(host, connection);
          return null;
        },
        failure -> {
          boolean another =
              index + 1 < addresses.size()
                  && failure.value() instanceof ConnectError
                  && !(failure.value() instanceof TlsHandshakeError);
          if (another) {
            connectTo(host, addresses, index + 1);
          } else {
            connectFailed(host, failure.value());
          }
          return null;
        });
  }

  private void connected(Host host, ClientConnection connection) {
    host.connecting--;
    connection.pooled = true;
    if (closed) {
      connection.close();
      return;
    }
    release(connection);
  }

  private void connectFailed(Host host, Throwable error) {
    host.connecting--;
    host.connections--;
    open--;
    Exchange first = host.waiting.poll();
    if (first != null) {
      first.fail(error);
    }
    dispatchAll();
    closedIfDone();
  }

  /** {@code connection} finished an exchange and may carry another. */
  void release(ClientConnection connection) {
    Host host = hosts.get(connection.origin());
    if (closed || host == null) {
      connection.close();
      return;
    }
    Exchange next = host.waiting.poll();
    if (next != null) {
      connection.start(next);
      return;
    }
    host.idle.addLast(connection);
    connection.idleFor(options.idleTimeout());
  }

  /** {@code connection} closed. */
  void removed(ClientConnection connection) {
    if (!connection.pooled) {
      return; // it never connected fully (a TLS handshake that failed): connectFailed counts it
    }
    connection.pooled = false;
    Host host = hosts.get(connection.origin());
    if (host != null) {
      host.idle.remove(connection);
      if (!countedOut.remove(connection)) {
        host.connections--;
        open--;
      }
    }
    dispatchAll();
    closedIfDone();
  }

  /** Connections closed to make room, already counted out, whose connectionLost is to come. */
  private final Set<ClientConnection> countedOut =
      Collections.newSetFromMap(new IdentityHashMap<>());

  private void forget(Host host, ClientConnection connection) {
    host.connections--;
    open--;
    countedOut.add(connection);
  }

  private void dispatchAll() {
    for (Host host : new ArrayList<>(hosts.values())) {
      dispatch(host);
      if (host.connections == 0 && host.waiting.isEmpty()) {
        hosts.remove(host.origin);
      }
    }
  }

  // ---------------------------------------------------------------- closing

  /** Fails what waits, closes idle connections, and lets busy ones close when they finish. */
  Deferred<Void> close() {
    if (whenClosed == null) {
      whenClosed = new Deferred<>();
      closed = true;
      for (Host host : new ArrayList<>(hosts.values())) {
        Exchange waiting;
        while ((waiting = host.waiting.poll()) != null) {
          waiting.fail(
              new HttpClientError(HttpClientError.Reason.CLIENT_CLOSED, "the client was closed"));
        }
        ClientConnection idle;
        while ((idle = host.idle.poll()) != null) {
          idle.close();
        }
      }
      closedIfDone();
    }
    return whenClosed;
  }

  private void closedIfDone() {
    if (closed && open == 0 && whenClosed != null && !whenClosed.called()) {
      whenClosed.callback(null);
    }
  }
}
