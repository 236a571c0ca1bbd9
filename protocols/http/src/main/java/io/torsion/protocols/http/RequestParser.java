package io.torsion.protocols.http;

import io.torsion.protocols.http.internal.MessageParser;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112), fed bytes as they arrive and emitting each
 * complete request, body included, to a {@link Listener}; pipelined requests in one read come out
 * in order. A request the listener chooses to stream is emitted at its head, and its body follows
 * in pieces while the listener {@link Listener#acceptsBody() accepts} them; the rest waits in the
 * buffer (one read's worth at most, as the caller stops reading meanwhile). Every limit of {@link
 * HttpOptions} holds before more is buffered, and every framing ambiguity that enables request
 * smuggling is an {@link HttpError}: both {@code Content-Length} and {@code Transfer-Encoding},
 * repeated or differing lengths, a final coding other than {@code chunked}, obs-fold, whitespace
 * before a colon, bare CR or LF, control characters, invalid token characters, chunk-size overflow
 * or junk, a missing, repeated or invalid {@code Host} on HTTP/1.1, a request target that is none
 * of RFC 9112's forms. After an error the parser accepts nothing more; the connection must be
 * closed.
 */
final class RequestParser extends MessageParser {
  /** Receives what the parser finds. */
  interface Listener {
    /**
     * A request's head has arrived; returns true to stream its body through {@link #bodyData} and
     * {@link #bodyEnd} rather than have it aggregated and emitted by {@link #request}.
     *
     * @param length the declared body length, or -1 for a chunked body
     */
    boolean headReceived(HttpRequest head, long length);

    /** A whole request has arrived. */
    void request(HttpRequest request);

    /** Returns true if a piece of a streamed body can be delivered now. */
    boolean acceptsBody();

    /** A piece of a streamed body; valid only during the call. */
    void bodyData(ByteBuffer data);

    /** A streamed body is complete. */
    void bodyEnd(HttpHeaders trailers);

    /**
     * A request whose body is aggregated asked {@code Expect: 100-continue}, is within the limits,
     * and its body has not arrived.
     */
    void expectContinue();
  }

  /** RFC 9112 2.2: a server should ignore at least one empty line before a request line. */
  private static final int MAX_EMPTY_LINES = 1;

  private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};

  /** Strings that most requests carry, shared rather than allocated for each request. */
  private static final String[] METHODS = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"
  };

  /** The characters a request target may hold as they are (RFC 3986 pchar, '/' and '?'). */
  private static final boolean[] TARGET_CHAR = new boolean[128];

  /** The characters of a Host field's reg-name (RFC 3986: unreserved and sub-delims). */
  private static final boolean[] HOST_CHAR = new boolean[128];

  static {
    for (char c = '0'; c <= 'z'; c++) {
      boolean alnum = Character.isLetterOrDigit(c);
      TARGET_CHAR[c] = alnum;
      HOST_CHAR[c] = alnum;
    }
    for (char c : "-._~!$&'()*+,;=".toCharArray()) {
      TARGET_CHAR[c] = true;
      HOST_CHAR[c] = true;
    }
    for (char c : ":@/?".toCharArray()) {
      TARGET_CHAR[c] = true;
    }
  }

  private final HttpOptions options;
  private final Listener listener;
  private String method;
  private String target;
  private String authority; // of an absolute-form target: it replaces the Host field
  private String version;
  private HttpRequest head;
  private boolean streaming;
  private String lastValidHost;

  RequestParser(HttpOptions options, Listener listener) {
    super(
        "request line",
        options.maxRequestLineLength(),
        414,
        options.maxHeaderSize(),
        options.maxHeaderCount(),
        options.maxChunkLineLength(),
        options.maxBodySize(),
        MAX_EMPTY_LINES);
    this.options = options;
    this.listener = listener;
  }

  // ---------------------------------------------------------------- request line

  @Override
  protected void startLine(int from, int to) throws HttpError {
    int first = indexOf(' ', from, to);
    int second = first < 0 ? -1 : indexOf(' ', first + 1, to);
    if (first <= from || second < 0 || indexOf(' ', second + 1, to) >= 0 || second == first + 1) {
      throw new HttpError(400, "malformed request line: expected METHOD SP TARGET SP VERSION");
    }
    for (int i = from; i < first; i++) {
      if (!isTchar(bytes[i])) {
        throw new HttpError(400, "invalid character in the method");
      }
    }
    int v = second + 1;
    if (to - v != 8
        || !startsWith(v, HTTP_SLASH)
        || !isDigit(bytes[v + 5])
        || bytes[v + 6] != '.'
        || !isDigit(bytes[v + 7])) {
      throw new HttpError(400, "malformed HTTP version");
    }
    if (bytes[v + 5] != '1') {
      throw new HttpError(505, "HTTP version " + ascii(v + 5, to) + " is not supported");
    }
    method = known(METHODS, from, first);
    target(first + 1, second);
    // RFC 9110 2.5: a higher minor version of HTTP/1 is answered as the highest this server speaks
    version = bytes[v + 7] == '0' ? "HTTP/1.0" : "HTTP/1.1";
  }

  /**
   * Reads the request target (RFC 9112 3.2): origin-form ({@code /path?query}), absolute-form
   * ({@code http://host/path}, whose authority replaces the Host field), {@code *} for {@code
   * OPTIONS} only, authority-form for {@code CONNECT} only; anything else is a 400, so that a path
   * a proxy in front filters by prefix cannot be spelled another way.
   */
  private void target(int from, int to) throws HttpError {
    authority = null;
    if (bytes[from] == '/') {
      checkPathAndQuery(from, to);
      target = recent(from, to);
      return;
    }
    if (to - from == 1 && bytes[from] == '*') {
      if (!method.equals("OPTIONS")) {
        throw new HttpError(400, "the target * is for OPTIONS only");
      }
      target = "*";
      return;
    }
    if (method.equals("CONNECT")) {
      authority = ascii(from, to);
      checkHostAndPort(authority, "request target");
      target = authority;
      return;
    }
    int schemeEnd = indexOf(':', from, to);
    String scheme = schemeEnd < 0 ? "" : ascii(from, schemeEnd).toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || to - schemeEnd < 3
        || bytes[schemeEnd + 1] != '/'
        || bytes[schemeEnd + 2] != '/') {
      throw new HttpError(
          400, "the request target is neither a path starting with / nor an http(s) URI");
    }
    int hostStart = schemeEnd + 3;
    int hostEnd = hostStart;
    while (hostEnd < to && bytes[hostEnd] != '/' && bytes[hostEnd] != '?') {
      hostEnd++;
    }
    if (hostEnd == hostStart) {
      throw new HttpError(400, "an absolute request target without a host");
    }
    authority = ascii(hostStart, hostEnd);
    checkHostAndPort(authority, "request target's authority");
    checkPathAndQuery(hostEnd, to);
    target = recent(from, to);
  }

  /**
   * Checks a path (RFC 3986 pchar and '/') and query: the query may also hold the other visible
   * characters that clients send unescaped ({@code a[]=1}), never {@code #}; percent-encoding must
   * be well formed in both.
   */
  private void checkPathAndQuery(int from, int to) throws HttpError {
    boolean query = false;
    for (int i = from; i < to; i++) {
      int c = bytes[i] & 0xFF;
      query |= c == '?';
      if (query && c > 0x20 && c < 0x7F && c != '#' && c != '%') {
        continue;
      }
      if (c == '%') {
        if (i + 2 >= to || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
          throw new HttpError(400, "malformed percent-encoding in the request target");
        }
        i += 2;
      } else if (c >= 0x80 || !TARGET_CHAR[c]) {
        throw new HttpError(
            400,
            c == '#'
                ? "a fragment (#) in the request target"
                : "invalid character in the request target");
      }
    }
  }

  /**
   * Checks {@code uri-host [":" port]} (RFC 3986 3.2.2): an IP literal in brackets or a reg-name of
   * unreserved, percent-encoded and sub-delim characters, and a decimal port; returns it.
   */
  private static void checkHostAndPort(String text, String what) throws HttpError {
    int to = text.length();
    int i = 0;
    if (i < to && text.charAt(i) == '[') {
      while (i < to && text.charAt(i) != ']') {
        char c = text.charAt(i);
        if (i > 0 && !(hex(c) || c == ':' || c == '.' || c == 'v' || c == 'V')) {
          throw new HttpError(400, "invalid IP literal in the " + what);
        }
        i++;
      }
      if (i == to) {
        throw new HttpError(400, "unclosed IP literal in the " + what);
      }
      i++;
    } else {
      for (; i < to && text.charAt(i) != ':'; i++) {
        char c = text.charAt(i);
        if (c == '%') {
          if (i + 2 >= to || !hex(text.charAt(i + 1)) || !hex(text.charAt(i + 2))) {
            throw new HttpError(400, "malformed percent-encoding in the " + what);
          }
          i += 2;
        } else if (c >= 0x80 || !HOST_CHAR[c]) {
          throw new HttpError(400, "invalid character in the " + what);
        }
      }
    }
    if (i < to) {
      if (text.charAt(i) != ':') {
        throw new HttpError(400, "junk after the host in the " + what);
      }
      for (int p = i + 1; p < to; p++) {
        char c = text.charAt(p);
        if (c < '0' || c > '9' || p - i > 5) {
          throw new HttpError(400, "invalid port in the " + what);
        }
      }
    }
  }

  private static boolean hex(char c) {
    return c < 0x80 && isHex((byte) c);
  }

  // ---------------------------------------------------------------- framing

  @Override
  protected void headersDone(HttpHeaders headers) throws HttpError {
    int seen = fieldsSeen();
    if ((seen & MANY_HOSTS) != 0) {
      throw new HttpError(400, "more than one Host field");
    }
    if ((seen & HOST) == 0 && version.equals("HTTP/1.1")) {
      throw new HttpError(400, "HTTP/1.1 request without a Host field");
    }
    if ((seen & HOST) != 0) {
      String host = headers.get("Host");
      if (!host.isEmpty() && !host.equals(lastValidHost)) {
        checkHostAndPort(host, "Host field");
        lastValidHost = host; // a connection's requests name one host: checked once
      }
    }
    if (authority != null && !method.equals("CONNECT")) {
      headers.set("Host", authority); // RFC 9112 3.2.2: the target's authority wins
    }
    head = new HttpRequest(method, target, version, headers);
    if ((seen & CONNECTION) == 0) {
      head.noConnectionField(); // keep-alive follows from the version alone
    }
    boolean coded = (seen & TRANSFER_ENCODING) != 0;
    boolean sized = (seen & CONTENT_LENGTH) != 0;
    if (coded) {
      if (sized) {
        throw new HttpError(400, "both Content-Length and Transfer-Encoding");
      }
      if (version.equals("HTTP/1.0")) {
        throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      chunkedOnly(headers.getAll("Transfer-Encoding"));
      streaming = listener.headReceived(head, -1);
      chunkedBody(streaming);
      if (!streaming) { // a streaming handler's connection asks for the body itself
        expectContinueIfAsked(headers);
      }
      return;
    }
    long length =
        sized
            ? contentLength(
                headers.getAll("Content-Length"), options.allowIdenticalContentLengths())
            : 0;
    streaming = listener.headReceived(head, length);
    fixedBody(length, streaming);
    if (!streaming && length > 0 && buffered() < length) {
      expectContinueIfAsked(headers);
    }
  }

  private void expectContinueIfAsked(HttpHeaders headers) {
    if (version.equals("HTTP/1.1") && headers.containsToken("Expect", "100-continue")) {
      listener.expectContinue();
    }
  }

  @Override
  protected boolean acceptsBody() {
    return listener.acceptsBody();
  }

  @Override
  protected void bodyData(ByteBuffer data) {
    listener.bodyData(data);
  }

  @Override
  protected void complete(byte[] whole, HttpHeaders trailers) {
    HttpRequest request = head;
    head = null;
    if (whole == null) {
      listener.bodyEnd(trailers != null ? trailers : new HttpHeaders());
    } else {
      request.completeBody(whole, trailers);
      listener.request(request);
    }
  }
}
