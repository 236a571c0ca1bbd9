package io.torsion.protocols.http;

import io.torsion.Factory;
import io.torsion.Protocol;
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
 * reactor.listenTCP(8080, HttpServer.create(router));
 * }</pre>
 *
 * <p>Keep-alive (HTTP/1.1 by default, HTTP/1.0 with {@code Connection: keep-alive}), pipelining
 * with responses in request order, {@code Content-Length} and chunked request bodies, {@code HEAD},
 * {@code Expect: 100-continue}, a cached {@code Date} field. A request that breaks the limits of
 * {@link HttpOptions} or is malformed is answered with its status and the connection closed;
 * handler errors become a 500 and touch no other request.
 */
public final class HttpServer implements Factory<Protocol> {
  private final HttpHandler handler;
  private final HttpOptions options;

  private HttpServer(HttpHandler handler, HttpOptions options) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Returns a server with the default options. */
  public static HttpServer create(HttpHandler handler) {
    return create(handler, HttpOptions.defaults());
  }

  /** Returns a server with {@code options}. */
  public static HttpServer create(HttpHandler handler, HttpOptions options) {
    return new HttpServer(handler, options);
  }

  @Override
  public Protocol buildProtocol(SocketAddress peer) {
    return new HttpConnection(handler, options);
  }
}
