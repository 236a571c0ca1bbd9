package io.torsion.protocols.http;

import io.torsion.Transport;
import io.torsion.protocols.http.internal.IncomingBody;
import io.torsion.tls.TlsInfo;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One request: method, target, version, header fields and the body. A request usually arrives
 * whole, its body aggregated up to {@link HttpOptions#maxBodySize()} ({@link #body()}, de-chunked;
 * the trailer fields of a chunked body in {@link #trailers()}). A handler that asked for it with
 * {@link HttpHandler#streamsBody} gets the request as soon as its head has arrived and reads the
 * body as it comes through {@link #bodyStream()}, with backpressure.
 */
public final class HttpRequest {
  private final String method;
  private final String target;
  private final String version;
  private final HttpHeaders headers;
  private byte[] body;
  private HttpHeaders trailers;
  private RequestBody stream;
  private byte keepAlive; // 0: not known yet, 1: yes, 2: no
  private Transport connection; // set when dispatched; null for a request made by hand

  /**
   * Creates a whole request, its body already here.
   *
   * @param method the method token, e.g. {@code GET}
   * @param target the request target as sent, e.g. {@code /users/7?full=1}
   * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
   * @param headers the header fields
   * @param body the body, empty when there is none
   * @param trailers the trailer fields of a chunked body, else empty
   */
  public HttpRequest(
      String method,
      String target,
      String version,
      HttpHeaders headers,
      byte[] body,
      HttpHeaders trailers) {
    this(method, target, version, headers);
    this.body = Objects.requireNonNull(body, "body");
    this.trailers = Objects.requireNonNull(trailers, "trailers");
  }

  /**
   * Creates the head of a request whose body follows: {@link #completeBody} or {@link #streamBody}.
   */
  HttpRequest(String method, String target, String version, HttpHeaders headers) {
    this.method = Objects.requireNonNull(method, "method");
    this.target = Objects.requireNonNull(target, "target");
    this.version = Objects.requireNonNull(version, "version");
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  void completeBody(byte[] whole, HttpHeaders trailerFields) {
    this.body = whole;
    this.trailers = trailerFields;
  }

  void streamBody(RequestBody bodyStream) {
    this.stream = bodyStream;
  }

  /** The parser found no {@code Connection} field: {@link #keepAlive()} needs no look. */
  void noConnectionField() {
    keepAlive = version.equals("HTTP/1.1") ? (byte) 1 : 2;
  }

  void connection(Transport transport) {
    this.connection = transport;
  }

  /**
   * Returns the address of the client this request came from (the peer of its connection), or null
   * for a request not received from a connection.
   */
  public SocketAddress peer() {
    return connection == null ? null : connection.getPeer();
  }

  /**
   * Returns the TLS facts of the connection this request came over (version, cipher, SNI name, ALPN
   * protocol, the client's certificates), or null when it came in plaintext.
   */
  public TlsInfo tls() {
    return connection == null ? null : connection.tls();
  }

  /** Returns true when the request came over TLS ({@code https}). */
  public boolean isSecure() {
    return tls() != null;
  }

  /** Returns the method token, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** Returns the request target as sent, e.g. {@code /users/7?full=1}. */
  public String target() {
    return target;
  }

  /** Returns {@code HTTP/1.1} or {@code HTTP/1.0}. */
  public String version() {
    return version;
  }

  /** Returns the header fields. */
  public HttpHeaders headers() {
    return headers;
  }

  /**
   * Returns true if the body streams in through {@link #bodyStream()} rather than arriving whole.
   */
  public boolean isStreamed() {
    return stream != null;
  }

  /**
   * Returns the whole body, empty when there is none.
   *
   * @throws IllegalStateException if the body is streamed: read it from {@link #bodyStream()}
   */
  public byte[] body() {
    if (body == null) {
      throw new IllegalStateException(
          "the body of " + this + " is streamed: read it from bodyStream()");
    }
    return body;
  }

  /**
   * Returns the trailer fields of a chunked body, else empty.
   *
   * @throws IllegalStateException if the body is streamed: they come with {@link
   *     BodyReceiver#bodyEnd}
   */
  public HttpHeaders trailers() {
    if (trailers == null && body != null) {
      trailers = new HttpHeaders(); // the parser makes none for a body without trailers
    }
    if (trailers == null) {
      throw new IllegalStateException(
          "the body of " + this + " is streamed: trailers come with bodyEnd");
    }
    return trailers;
  }

  /**
   * Returns the body as a stream: the one that is arriving, or, for a whole request, a stream that
   * delivers the whole body at once. Code written against the stream thus serves both.
   */
  public RequestBody bodyStream() {
    if (stream == null) {
      stream = IncomingBody.whole(body, trailers());
    }
    return stream;
  }

  /**
   * Returns the path part of the target, without the query, as sent (percent-encoded); for an
   * absolute-form target ({@code http://host/a?b}) its path ({@code /a}, or {@code /} if it has
   * none).
   */
  public String path() {
    int from = originStart();
    int query = target.indexOf('?', from);
    int to = query < 0 ? target.length() : query;
    return from == to ? "/" : target.substring(from, to);
  }

  /** Returns the query part of the target, without {@code ?}, or null. */
  public String query() {
    int query = target.indexOf('?', originStart());
    return query < 0 ? null : target.substring(query + 1);
  }

  /** Returns where the origin-form part (path and query) of the target starts. */
  private int originStart() {
    if (target.isEmpty() || target.charAt(0) == '/' || target.equals("*")) {
      return 0;
    }
    int scheme = target.indexOf("://");
    if (scheme < 0) {
      return 0;
    }
    int from = scheme + 3;
    while (from < target.length() && target.charAt(from) != '/' && target.charAt(from) != '?') {
      from++;
    }
    return from;
  }

  /**
   * Returns the first value of query parameter {@code name}, URL-decoded as UTF-8, or null. A
   * parameter without {@code =} has the empty value.
   */
  public String queryParameter(String name) {
    String query = query();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (decode(key).equals(name)) {
        return equals < 0 ? "" : decode(pair.substring(equals + 1));
      }
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  /** Returns the whole body decoded as UTF-8 (see {@link #body()}). */
  public String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  /**
   * Returns true if the connection may carry another request after this one: HTTP/1.1 unless {@code
   * Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
   */
  public boolean keepAlive() {
    if (keepAlive == 0) {
      boolean alive =
          version.equals("HTTP/1.1")
              ? !headers.containsToken("Connection", "close")
              : headers.containsToken("Connection", "keep-alive");
      keepAlive = alive ? (byte) 1 : 2;
    }
    return keepAlive == 1;
  }

  @Override
  public String toString() {
    return "HttpRequest["
        + method
        + " "
        + target
        + " "
        + version
        + ", "
        + headers.size()
        + " headers, "
        + (body != null ? body.length + " body bytes]" : "streamed body]");
  }
}
