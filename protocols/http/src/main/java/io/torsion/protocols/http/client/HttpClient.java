package io.torsion.protocols.http.client;

import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.Reactor;
import io.torsion.protocols.http.HttpHeaders;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 client on the core API (Twisted's {@code Agent}): requests return {@link Deferred}s
 * of {@link ClientResponse}s, connections are pooled per origin and kept alive, {@code https} goes
 * through the reactor's TLS (certificates and host names verified by default), and names resolve
 * through a {@link HostResolver} that does not block the reactor.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.create(reactor);
 * client.get("http://127.0.0.1:8080/plaintext")
 *     .addCallback(response -> {
 *         log.log(Level.INFO, "{0}: {1}", response.status(), response.bodyText());
 *         return null;
 *     });
 * }</pre>
 *
 * <p>Every request fails rather than hangs: timeouts bound the connect, the response head, each
 * piece of the body and, if the request says so, the whole exchange ({@link HttpClientOptions}); a
 * response that breaks the rules fails with {@link HttpClientError} and its connection is closed,
 * never pooled. Cancelling a request's Deferred takes it out of the queue or closes its connection.
 * Redirects are followed only when the request asks ({@link
 * ClientRequest.Builder#followRedirects}), never from {@code https} to {@code http}. A request on a
 * reused connection that the server closed before answering is sent again once on a new connection
 * if it is idempotent. Used on the reactor thread.
 */
public final class HttpClient {
  private final Reactor reactor;
  private final ConnectionPool pool;

  private HttpClient(Reactor reactor, HttpClientOptions options) {
    this.reactor = reactor;
    this.pool = new ConnectionPool(reactor, options);
  }

  /** Returns a client with the default options. */
  public static HttpClient create(Reactor reactor) {
    return create(reactor, HttpClientOptions.defaults());
  }

  /** Returns a client with {@code options}. */
  public static HttpClient create(Reactor reactor, HttpClientOptions options) {
    return new HttpClient(
        Objects.requireNonNull(reactor, "reactor"), Objects.requireNonNull(options, "options"));
  }

  /** Sends {@code request}; the Deferred fires with its response (see the class comment). */
  public Deferred<ClientResponse> request(ClientRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.maxRedirects() == 0 && request.timeout() == null) {
      Exchange exchange = new Exchange(request, List.of(), pool); // one hop: no chain needed
      pool.submit(exchange);
      return exchange.result;
    }
    Chain chain = new Chain(request);
    chain.send(request);
    return chain.result;
  }

  /** Sends {@code method} to {@code uri} with {@code headers} and a fixed {@code body}. */
  public Deferred<ClientResponse> request(
      String method, String uri, HttpHeaders headers, byte[] body) {
    return request(
        ClientRequest.builder(method, uri)
            .headers(headers == null ? new HttpHeaders() : headers)
            .body(body == null ? new byte[0] : body)
            .build());
  }

  /** Sends {@code GET uri}. */
  public Deferred<ClientResponse> get(String uri) {
    return request(ClientRequest.builder("GET", uri).build());
  }

  /** Sends {@code POST uri} with {@code body} of {@code contentType}. */
  public Deferred<ClientResponse> post(String uri, String contentType, byte[] body) {
    return request(
        ClientRequest.builder("POST", uri).header("Content-Type", contentType).body(body).build());
  }

  /** Returns how many connections are open (busy, idle or connecting). */
  public int openConnections() {
    return pool.openConnections();
  }

  /** Returns how many open connections are idle in the pool. */
  public int idleConnections() {
    return pool.idleConnections();
  }

  /** Returns how many connections this client has opened in all (reuse shows as few). */
  public long connectionsOpened() {
    return pool.connectionsOpened();
  }

  /**
   * Closes the client: requests waiting for a connection fail, idle connections close, busy ones
   * close when their exchange ends. The Deferred fires once every connection is closed.
   */
  public Deferred<Void> close() {
    return pool.close();
  }

  /**
   * One request and the redirects it follows: one {@link Exchange} per hop, one Deferred for the
   * caller, one timer for the whole.
   */
  private final class Chain {
    final ClientRequest first;
    final Deferred<ClientResponse> result;
    final List<URI> visited = new ArrayList<>();
    Exchange hop;
    DelayedCall timer;

    Chain(ClientRequest first) {
      this.first = first;
      this.result =
          new Deferred<>(
              cancelled -> {
                stopTimer();
                if (hop != null) {
                  hop.result.cancel();
                }
              });
      if (first.timeout() != null) {
        timer =
            reactor.callLater(
                first.timeout(),
                () -> {
                  timer = null;
                  Exchange current = hop;
                  fail(
                      new HttpClientError(
                          HttpClientError.Reason.TIMEOUT,
                          first + " took longer than " + first.timeout()));
                  if (current != null) {
                    current.result.cancel();
                  }
                });
      }
    }

    void send(ClientRequest request) {
      Exchange exchange = new Exchange(request, List.copyOf(visited), pool);
      hop = exchange;
      exchange.result.addCallbacks(
          response -> {
            arrived(request, response);
            return null;
          },
          failure -> {
            fail(failure.value());
            return null;
          });
      pool.submit(exchange);
    }

    private void arrived(ClientRequest request, ClientResponse response) {
      if (result.called()) {
        return;
      }
      if (!response.isStreamed() && hop.willFollow(response.status(), response.headers())) {
        ClientRequest next = Redirects.next(request, response.status(), response.headers());
        if (next != null) {
          if (visited.size() >= request.maxRedirects()) {
            fail(
                new HttpClientError(
                    HttpClientError.Reason.TOO_MANY_REDIRECTS,
                    "more than " + request.maxRedirects() + " redirects from " + first.uri()));
            return;
          }
          visited.add(request.uri());
          send(next);
          return;
        }
      }
      stopTimer();
      result.callback(response);
    }

    private void fail(Throwable error) {
      stopTimer();
      if (!result.called()) {
        result.errback(error);
      }
    }

    private void stopTimer() {
      if (timer != null && timer.active()) {
        timer.cancel();
      }
      timer = null;
    }
  }
}
