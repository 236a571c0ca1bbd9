package io.torsion.protocols.http;

import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * An HTTP/1.1 server: a {@link Factory} to give {@code listenTCP}, serving every request with a
 * {@link HttpHandler} (often a {@link Router}).
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .get("/plaintext", (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
 *     .get("/users/{id}", (request, params) -> users.find(params.get("id")).addCallback(User::toResponse))
 *     .build();
 * reactor.listenTCP(8080, HttpServer.create(reactor, router));
 * }</pre>
 *
 * <p>HTTPS is the same factory on a TLS port; offer {@code http/1.1} with ALPN, and a plain-HTTP
 * request to the port is answered with a 400 that says so:
 *
 * <pre>{@code
 * TlsServerOptions tls =
 *     TlsServerOptions.builder(Identity.fromPem(chain, key)).applicationProtocols("http/1.1").build();
 * reactor.listenSSL(8443, null, HttpServer.create(reactor, router), tls);
 * }</pre>
 *
 * A handler reads {@link HttpRequest#peer()} and {@link HttpRequest#tls()} for who asked and how.
 *
 * <p>Keep-alive (HTTP/1.1 by default, HTTP/1.0 with {@code Connection: keep-alive}), pipelining
 * with responses in request order, {@code Content-Length} and chunked request bodies, {@code HEAD},
 * {@code Expect: 100-continue}, a cached {@code Date} field. Bodies arrive whole up to {@link
 * HttpOptions#maxBodySize()}, or stream in with backpressure for a handler that {@linkplain
 * HttpHandler#streamsBody asks}; responses are whole or {@linkplain HttpResponse#streamed
 * streamed}. A request that breaks the limits of {@link HttpOptions} or is malformed is answered
 * with its status and the connection closed; handler errors become a 500 and touch no other
 * request. Slow and silent peers are timed out on {@code time} (pass the reactor; tests pass a
 * {@code Clock}).
 */
public final class HttpServer implements Factory<Protocol> {
  private final ReactorTime time;
  private final HttpHandler handler;
  private final HttpOptions options;

  /**
   * One encoder per reactor thread: connections stay on their thread, and an encoder keeps no state
   * between writes.
   */
  private final ThreadLocal<ResponseEncoder> encoders;

  private HttpServer(ReactorTime time, HttpHandler handler, HttpOptions options) {
    this.time = Objects.requireNonNull(time, "time");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
    this.encoders = ThreadLocal.withInitial(() -> new ResponseEncoder(options.serverHeader()));
  }

  /** Returns a server with the default options, timing out slow peers on {@code time}. */
  public static HttpServer create(ReactorTime time, HttpHandler handler) {
    return create(time, handler, HttpOptions.defaults());
  }

  /** Returns a server with {@code options}, timing out slow peers on {@code time}. */
  public static HttpServer create(ReactorTime time, HttpHandler handler, HttpOptions options) {
    return new HttpServer(time, handler, options);
  }

  @Override
  public Protocol buildProtocol(SocketAddress peer) {
    return new HttpConnection(time, handler, options, encoders.get());
  }
}
