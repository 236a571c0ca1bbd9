package io.torsion.protocols.websocket;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.tls.TlsClientOptions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Connects to a WebSocket server at a {@code ws://} or {@code wss://} URI (TLS verified as {@link
 * Reactor#connectSSL} does), offering {@code permessage-deflate} unless the options turn it off.
 *
 * <pre>{@code
 * WebSocketClient.to("ws://127.0.0.1:8080/ws/echo")
 *     .connect(reactor, new Chat())
 *     .addCallback(chat -> { chat.sendText("hello"); return null; });
 * }</pre>
 *
 * The Deferred fires with the protocol once the handshake is done (after its {@code onOpen}), or
 * fails with the connect error or a {@link WebSocketHandshakeError}.
 */
public final class WebSocketClient {
  private final URI uri;
  private final boolean secure;
  private WebSocketOptions options = WebSocketOptions.defaults();
  private List<String> subprotocols = List.of();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private TlsClientOptions tls = TlsClientOptions.defaults();

  private WebSocketClient(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + uri);
    }
    if (uri.getFragment() != null) {
      throw new IllegalArgumentException("a WebSocket URI has no fragment: " + uri);
    }
    this.uri = uri;
    this.secure = scheme.equals("wss");
  }

  /** Starts a connection to {@code uri}. */
  public static WebSocketClient to(String uri) {
    return new WebSocketClient(URI.create(uri));
  }

  /** Sets the limits and timers; {@link WebSocketOptions#defaults()} otherwise. */
  public WebSocketClient options(WebSocketOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  /** Offers these subprotocols, in order of preference. */
  public WebSocketClient subprotocols(String... names) {
    this.subprotocols = List.of(names);
    return this;
  }

  /** Adds a field to the handshake request (an {@code Origin}, a cookie, a token). */
  public WebSocketClient header(String name, String value) {
    for (char c : (name + value).toCharArray()) {
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException("CR or LF in a header field");
      }
    }
    headers.put(name, value);
    return this;
  }

  /** Sets the TLS options for {@code wss://}; {@link TlsClientOptions#defaults()} otherwise. */
  public WebSocketClient tls(TlsClientOptions tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /** Connects, does the opening handshake, and hands the connection to {@code protocol}. */
  public <P extends WebSocketProtocol> Deferred<P> connect(Reactor reactor, P protocol) {
    Objects.requireNonNull(protocol, "protocol");
    Deferred<P> opened = new Deferred<>();
    Factory<ClientHandshake<P>> factory =
        Factory.of(() -> new ClientHandshake<>(this, protocol, reactor, opened));
    Deferred<ClientHandshake<P>> connected =
        secure
            ? reactor.connectSSL(uri.getHost(), port(), factory, tls)
            : reactor.connectTCP(uri.getHost(), port(), factory);
    connected.addErrback(
        failure -> {
          if (!opened.called()) {
            opened.errback(failure.value());
          }
          return null;
        });
    return opened;
  }

  int port() {
    return uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
  }

  String target() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  String hostHeader() {
    String host = uri.getHost();
    boolean defaultPort = uri.getPort() < 0 || uri.getPort() == (secure ? 443 : 80);
    return defaultPort ? host : host + ":" + uri.getPort();
  }

  WebSocketOptions options() {
    return options;
  }

  List<String> subprotocols() {
    return subprotocols;
  }

  Map<String, String> headers() {
    return headers;
  }
}
