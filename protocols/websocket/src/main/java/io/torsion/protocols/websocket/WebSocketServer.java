package io.torsion.protocols.websocket;

import io.torsion.Deferred;
import io.torsion.ReactorTime;
import io.torsion.protocols.http.HttpHandler;
import io.torsion.protocols.http.HttpRequest;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.Router;
import io.torsion.protocols.websocket.internal.Handshakes;
import io.torsion.protocols.websocket.internal.PerMessageDeflate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The server side of the opening handshake (RFC 6455 4.2), as an {@link HttpHandler} for an HTTP
 * route: a valid request gets {@code 101 Switching Protocols} and the connection becomes a
 * WebSocket run by the protocol the factory makes for it.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .get("/ws/echo", WebSocketServer.builder(reactor, request -> new Echo()).build())
 *     .build();
 * reactor.listenTCP(8080, HttpServer.create(reactor, router));
 * }</pre>
 *
 * <p>What is refused, and how: not {@code GET}, 405; no {@code Upgrade: websocket} or {@code
 * Connection: upgrade}, 426 (naming {@code websocket}); a {@code Sec-WebSocket-Key} that is not 16
 * bytes of base64, 400; a version other than 13, 426 with {@code Sec-WebSocket-Version: 13}; an
 * origin the {@link Builder#origins origin check} refuses, or a factory that returns null, 403. The
 * subprotocol is the first one the client lists that the server {@link Builder#subprotocols
 * supports}; {@code permessage-deflate} is accepted when offered (see {@link
 * WebSocketOptions#compression()}).
 */
public final class WebSocketServer implements HttpHandler, Router.RouteHandler {
  private final ReactorTime time;
  private final Function<? super HttpRequest, ? extends WebSocketProtocol> protocols;
  private final WebSocketOptions options;
  private final List<String> subprotocols;
  private final Predicate<String> origins;
  private final BiConsumer<? super HttpRequest, ? super HttpResponse> responseHeaders;

  private WebSocketServer(Builder builder) {
    this.time = builder.time;
    this.protocols = builder.protocols;
    this.options = builder.options;
    this.subprotocols = builder.subprotocols;
    this.origins = builder.origins;
    this.responseHeaders = builder.responseHeaders;
  }

  /**
   * Starts a server whose connections get the protocol {@code protocols} makes for their handshake
   * request (null refuses the connection with 403).
   *
   * @param time the reactor, for the keep-alive and closing timers
   */
  public static Builder builder(
      ReactorTime time, Function<? super HttpRequest, ? extends WebSocketProtocol> protocols) {
    return new Builder(time, protocols);
  }

  @Override
  public Deferred<HttpResponse> handle(HttpRequest request) {
    return Deferred.succeed(answer(request));
  }

  /** The same, as a {@link Router} route: {@code .get("/ws", server)}. */
  @Override
  public Deferred<HttpResponse> handle(HttpRequest request, Map<String, String> parameters) {
    return handle(request);
  }

  private HttpResponse answer(HttpRequest request) {
    if (!request.method().equals("GET")) {
      return HttpResponse.text(405, "a WebSocket handshake is a GET\n").header("Allow", "GET");
    }
    var headers = request.headers();
    if (!headers.containsToken("Upgrade", "websocket")
        || !headers.containsToken("Connection", "upgrade")) {
      return HttpResponse.text(426, "this resource speaks WebSocket only\n")
          .header("Upgrade", "websocket")
          .header("Connection", "Upgrade");
    }
    if (!"13".equals(headers.get("Sec-WebSocket-Version"))
        || headers.count("Sec-WebSocket-Version") != 1) {
      return HttpResponse.text(426, "WebSocket version 13 only\n")
          .header("Sec-WebSocket-Version", "13");
    }
    String key = headers.get("Sec-WebSocket-Key");
    if (headers.count("Sec-WebSocket-Key") != 1 || !Handshakes.validKey(key)) {
      return HttpResponse.text(400, "Sec-WebSocket-Key must be 16 bytes in base64\n");
    }
    String origin = headers.get("Origin");
    if (!origins.test(origin)) {
      return HttpResponse.text(403, "origin not allowed\n");
    }
    WebSocketProtocol application = protocols.apply(request);
    if (application == null) {
      return HttpResponse.text(403, "refused\n");
    }
    String subprotocol = choose(headers.getAll("Sec-WebSocket-Protocol"));
    PerMessageDeflate deflate =
        options.compression()
            ? PerMessageDeflate.accept(joined(headers.getAll("Sec-WebSocket-Extensions")), false)
            : null;
    WebSocketConnection connection =
        new WebSocketConnection(application, false, options, time, deflate, subprotocol, request);
    HttpResponse response =
        HttpResponse.switchingProtocols("websocket", connection)
            .header("Sec-WebSocket-Accept", Handshakes.accept(key));
    if (subprotocol != null) {
      response.header("Sec-WebSocket-Protocol", subprotocol);
    }
    if (deflate != null) {
      response.header("Sec-WebSocket-Extensions", deflate.response());
    }
    responseHeaders.accept(request, response);
    return response;
  }

  private String choose(List<String> offered) {
    for (String field : offered) {
      for (String name : field.split(",")) {
        String candidate = name.trim();
        if (subprotocols.contains(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private static String joined(List<String> fields) {
    return fields.isEmpty() ? null : String.join(", ", fields);
  }

  /** Sets a {@link WebSocketServer} up. */
  public static final class Builder {
    private final ReactorTime time;
    private final Function<? super HttpRequest, ? extends WebSocketProtocol> protocols;
    private WebSocketOptions options = WebSocketOptions.defaults();
    private List<String> subprotocols = List.of();
    private Predicate<String> origins = origin -> true;
    private BiConsumer<? super HttpRequest, ? super HttpResponse> responseHeaders =
        (request, response) -> {};

    private Builder(
        ReactorTime time, Function<? super HttpRequest, ? extends WebSocketProtocol> protocols) {
      this.time = Objects.requireNonNull(time, "time");
      this.protocols = Objects.requireNonNull(protocols, "protocols");
    }

    /** Sets the limits and timers; {@link WebSocketOptions#defaults()} otherwise. */
    public Builder options(WebSocketOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Sets the subprotocols the server speaks; none by default. */
    public Builder subprotocols(String... names) {
      this.subprotocols = List.of(names);
      return this;
    }

    /**
     * Sets the origin check: it gets the request's {@code Origin} (null if it has none, as from
     * non-browser clients) and returns true to let the connection through. Browsers send the page's
     * origin: check it to keep other sites' pages out. Every origin by default.
     */
    public Builder origins(Predicate<String> check) {
      this.origins = Objects.requireNonNull(check, "check");
      return this;
    }

    /** Sets a hook that adds fields to the 101 response (a cookie, a server name). */
    public Builder responseHeaders(
        BiConsumer<? super HttpRequest, ? super HttpResponse> addHeaders) {
      this.responseHeaders = Objects.requireNonNull(addHeaders, "addHeaders");
      return this;
    }

    /** Returns the handler. */
    public WebSocketServer build() {
      return new WebSocketServer(this);
    }
  }
}
