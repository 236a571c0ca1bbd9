package io.torsion.protocols.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112), fed bytes as they arrive and emitting each
 * complete request, body included, to a {@link Listener}; pipelined requests in one read come out
 * in order. A request the listener chooses to stream is emitted at its head, and its body follows
 * in pieces while the listener {@link Listener#acceptsBody() accepts} them; the rest waits in the
 * buffer (one read's worth at most, as the caller stops reading meanwhile). Every limit of {@link
 * HttpOptions} holds before more is buffered, and every framing ambiguity that enables request
 * smuggling is an {@link HttpError}: both {@code Content-Length} and {@code Transfer-Encoding},
 * differing lengths, a final coding other than {@code chunked}, obs-fold, whitespace before a
 * colon, bare CR or LF, control characters, invalid token characters, chunk-size overflow or junk,
 * a missing or repeated {@code Host} on HTTP/1.1. After an error the parser accepts nothing more;
 * the connection must be closed.
 */
final class RequestParser {
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

  private enum State {
    REQUEST_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    FAILED,
    STOPPED
  }

  /** RFC 9112 2.2: a server should ignore at least one empty line before a request line. */
  private static final int MAX_EMPTY_LINES = 1;

  private static final boolean[] TCHAR = new boolean[128];

  /** The characters a request target may hold as they are (RFC 3986 pchar, '/' and '?'). */
  private static final boolean[] TARGET_CHAR = new boolean[128];

  /** The characters of a Host field's reg-name (RFC 3986: unreserved and sub-delims). */
  private static final boolean[] HOST_CHAR = new boolean[128];

  private static final byte[] NO_BODY = new byte[0];
  private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};

  /** Strings that most requests carry, shared rather than allocated for each request. */
  private static final String[] METHODS = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"
  };

  private static final String[] FIELD_NAMES = {
    "Host",
    "host",
    "Accept",
    "accept",
    "Connection",
    "connection",
    "User-Agent",
    "user-agent",
    "Content-Length",
    "content-length",
    "Content-Type",
    "content-type",
    "Accept-Encoding",
    "accept-encoding",
    "Accept-Language",
    "accept-language",
    "Transfer-Encoding",
    "transfer-encoding",
    "Cookie",
    "cookie",
    "Expect",
    "expect"
  };
  private static final String[] FIELD_VALUES = {
    "keep-alive", "close", "*/*", "chunked", "100-continue"
  };

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[Character.toUpperCase(c)] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
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
  private byte[] bytes = new byte[1024];
  private int start;
  private int end;
  private State state = State.REQUEST_LINE;
  private int emptyLines;
  private int headerBytes;
  private String method;
  private String target;
  private String authority; // of an absolute-form target: it replaces the Host field
  private String version;
  private HttpRequest head;
  private boolean streaming;
  private HttpHeaders headers;
  private HttpHeaders trailers;
  private byte[] body;
  private int bodyLength;
  private long remaining;
  private HttpError failure;

  RequestParser(HttpOptions options, Listener listener) {
    this.options = options;
    this.listener = listener;
  }

  /**
   * Parses {@code data}, emitting every request it completes.
   *
   * @throws HttpError at the first violation; every later call throws it again
   */
  void feed(ByteBuffer data) throws HttpError {
    if (failure != null) {
      throw failure;
    }
    if (state == State.STOPPED) {
      return;
    }
    append(data);
    try {
      while (step()) {
        // each step consumes what it can
      }
    } catch (HttpError error) {
      state = State.FAILED;
      failure = error;
      throw error;
    }
  }

  /** Where the parser is in a request, for timeouts. */
  enum Phase {
    /** Between requests, nothing of the next one received. */
    IDLE,
    /** Part of a request line or header section received. */
    HEAD,
    /** Headers complete, the body still arriving. */
    BODY
  }

  /** Accepts nothing more: the connection will carry no further request. */
  void stop() {
    if (state != State.FAILED) {
      state = State.STOPPED;
    }
  }

  /** Returns true while a streamed body is arriving. */
  boolean streamingBody() {
    return streaming && phase() == Phase.BODY;
  }

  /** Returns where the parser is in a request. */
  Phase phase() {
    return switch (state) {
      case REQUEST_LINE -> end > start ? Phase.HEAD : Phase.IDLE;
      case HEADERS -> Phase.HEAD;
      case FAILED, STOPPED -> Phase.IDLE;
      default -> Phase.BODY;
    };
  }

  private boolean step() throws HttpError {
    switch (state) {
      case REQUEST_LINE -> {
        int eol =
            lineEnd(
                options.maxRequestLineLength(),
                414,
                "request line longer than ",
                options.maxRequestLineLength());
        if (eol < 0) {
          return false;
        }
        if (eol == start) { // an empty line before the request: tolerated, within reason
          consumeLine(eol);
          if (++emptyLines > MAX_EMPTY_LINES) {
            throw new HttpError(400, "too many empty lines before the request line");
          }
          return true;
        }
        requestLine(start, eol);
        consumeLine(eol);
        state = State.HEADERS;
        headers = new HttpHeaders();
        headerBytes = 0;
        return true;
      }
      case HEADERS, TRAILERS -> {
        int room = options.maxHeaderSize() - headerBytes;
        int eol =
            lineEnd(
                room,
                431,
                state == State.HEADERS
                    ? "header section larger than "
                    : "trailer section larger than ",
                options.maxHeaderSize());
        if (eol < 0) {
          return false;
        }
        headerBytes += eol - start + 2;
        if (eol == start) {
          consumeLine(eol);
          if (state == State.HEADERS) {
            headersDone();
          } else {
            emit();
          }
          return true;
        }
        HttpHeaders into = state == State.HEADERS ? headers : trailers;
        if (into.size() >= options.maxHeaderCount()) {
          throw new HttpError(431, "more than " + options.maxHeaderCount() + " header fields");
        }
        field(eol, into);
        consumeLine(eol);
        return true;
      }
      case FIXED_BODY -> {
        int take = (int) Math.min(remaining, end - start);
        if (!takeBody(take)) {
          return false;
        }
        remaining -= take;
        if (remaining == 0) {
          emit();
          return true;
        }
        return false;
      }
      case CHUNK_SIZE -> {
        int eol =
            lineEnd(
                options.maxChunkLineLength(),
                400,
                "chunk-size line longer than ",
                options.maxChunkLineLength());
        if (eol < 0) {
          return false;
        }
        long size = chunkSize(start, eol);
        consumeLine(eol);
        if (size == 0) {
          state = State.TRAILERS;
          trailers = new HttpHeaders();
          headerBytes = 0;
        } else {
          if (!streaming && bodyLength + size > options.maxBodySize()) {
            throw new HttpError(
                413, "chunked body larger than " + options.maxBodySize() + " bytes");
          }
          remaining = size;
          state = State.CHUNK_DATA;
        }
        return true;
      }
      case CHUNK_DATA -> {
        int take = (int) Math.min(remaining, end - start);
        if (!takeBody(take)) {
          return false;
        }
        remaining -= take;
        if (remaining == 0) {
          state = State.CHUNK_END;
          return true;
        }
        return false;
      }
      case CHUNK_END -> {
        if (end - start < 2) {
          if (end - start == 1 && bytes[start] != '\r') {
            throw new HttpError(400, "chunk data is not followed by CRLF");
          }
          return false;
        }
        if (bytes[start] != '\r' || bytes[start + 1] != '\n') {
          throw new HttpError(400, "chunk data is not followed by CRLF");
        }
        start += 2;
        state = State.CHUNK_SIZE;
        return true;
      }
      case STOPPED -> {
        return false;
      }
      default -> throw failure;
    }
  }

  // ---------------------------------------------------------------- lines

  /**
   * Returns the index of the CR of the next CRLF, or -1 if it has not arrived; refuses bare CR,
   * bare LF, and a line longer than {@code limit}, with {@code status} and the message {@code
   * tooLong + limitSaid + " bytes"} (made only then: this runs for every line).
   */
  private int lineEnd(int limit, int status, String tooLong, int limitSaid) throws HttpError {
    int scanEnd = Math.min(end, start + limit + 2);
    for (int i = start; i < scanEnd; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        throw new HttpError(400, "bare LF: lines must end with CRLF");
      }
      if (b == '\r') {
        if (i + 1 == end) {
          return -1; // the LF may be on its way
        }
        if (bytes[i + 1] != '\n') {
          throw new HttpError(400, "bare CR");
        }
        if (i - start > limit) {
          throw new HttpError(status, tooLong + limitSaid + " bytes");
        }
        return i;
      }
    }
    if (end - start > limit) {
      throw new HttpError(status, tooLong + limitSaid + " bytes");
    }
    return -1;
  }

  private void consumeLine(int eol) {
    start = eol + 2;
  }

  private String ascii(int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- request line and fields

  private void requestLine(int from, int to) throws HttpError {
    int first = indexOf(' ', from, to);
    int second = first < 0 ? -1 : indexOf(' ', first + 1, to);
    if (first <= from || second < 0 || indexOf(' ', second + 1, to) >= 0 || second == first + 1) {
      throw new HttpError(400, "malformed request line: expected METHOD SP TARGET SP VERSION");
    }
    for (int i = from; i < first; i++) {
      if (bytes[i] < 0 || !TCHAR[bytes[i]]) {
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
      target = ascii(from, to);
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
      checkHostAndPort(bytes, from, to, "request target");
      authority = ascii(from, to);
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
    checkHostAndPort(bytes, hostStart, hostEnd, "request target's authority");
    authority = ascii(hostStart, hostEnd);
    checkPathAndQuery(hostEnd, to);
    target = ascii(from, to);
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
  private static void checkHostAndPort(byte[] bytes, int from, int to, String what)
      throws HttpError {
    int i = from;
    if (i < to && bytes[i] == '[') {
      while (i < to && bytes[i] != ']') {
        byte b = bytes[i];
        if (i > from && !(isHex(b) || b == ':' || b == '.' || b == 'v' || b == 'V')) {
          throw new HttpError(400, "invalid IP literal in the " + what);
        }
        i++;
      }
      if (i == to) {
        throw new HttpError(400, "unclosed IP literal in the " + what);
      }
      i++;
    } else {
      for (; i < to && bytes[i] != ':'; i++) {
        int c = bytes[i] & 0xFF;
        if (c == '%') {
          if (i + 2 >= to || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2])) {
            throw new HttpError(400, "malformed percent-encoding in the " + what);
          }
          i += 2;
        } else if (c >= 0x80 || !HOST_CHAR[c]) {
          throw new HttpError(400, "invalid character in the " + what);
        }
      }
    }
    if (i < to) {
      if (bytes[i] != ':') {
        throw new HttpError(400, "junk after the host in the " + what);
      }
      for (int p = i + 1; p < to; p++) {
        if (!isDigit(bytes[p]) || p - i > 5) {
          throw new HttpError(400, "invalid port in the " + what);
        }
      }
    }
  }

  private static boolean isHex(byte b) {
    return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  private int indexOf(char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private boolean startsWith(int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /**
   * Returns the constant among {@code known} spelled exactly as bytes [from, to), or a new string.
   */
  private String known(String[] candidates, int from, int to) {
    int length = to - from;
    for (String candidate : candidates) {
      if (candidate.length() == length && matches(candidate, from)) {
        return candidate;
      }
    }
    return ascii(from, to);
  }

  private boolean matches(String candidate, int at) {
    for (int i = 0; i < candidate.length(); i++) {
      if (bytes[at + i] != candidate.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void field(int eol, HttpHeaders into) throws HttpError {
    byte first = bytes[start];
    if (first == ' ' || first == '\t') {
      throw new HttpError(400, "obsolete line folding (a field line starting with whitespace)");
    }
    int colon = -1;
    for (int i = start; i < eol; i++) {
      byte b = bytes[i];
      if (b == ':') {
        colon = i;
        break;
      }
      if (b == ' ' || b == '\t') {
        throw new HttpError(400, "whitespace in a field name or before the colon");
      }
      if (b < 0 || !TCHAR[b]) {
        throw new HttpError(400, "invalid character in a field name");
      }
    }
    if (colon <= start) {
      throw new HttpError(400, colon == start ? "empty field name" : "field line without a colon");
    }
    int from = colon + 1;
    int to = eol;
    while (from < to && (bytes[from] == ' ' || bytes[from] == '\t')) {
      from++;
    }
    while (to > from && (bytes[to - 1] == ' ' || bytes[to - 1] == '\t')) {
      to--;
    }
    for (int i = from; i < to; i++) {
      int b = bytes[i] & 0xFF;
      if ((b < 0x20 && b != '\t') || b == 0x7F) {
        throw new HttpError(400, "control character in a field value");
      }
    }
    into.add(known(FIELD_NAMES, start, colon), known(FIELD_VALUES, from, to));
  }

  private static boolean tchar(char c) {
    return c < 128 && TCHAR[c];
  }

  // ---------------------------------------------------------------- framing

  private void headersDone() throws HttpError {
    int hosts = headers.count("Host");
    if (hosts > 1) {
      throw new HttpError(400, "more than one Host field");
    }
    if (hosts == 0 && version.equals("HTTP/1.1")) {
      throw new HttpError(400, "HTTP/1.1 request without a Host field");
    }
    if (hosts == 1) {
      String host = headers.get("Host");
      if (!host.isEmpty()) {
        byte[] value = host.getBytes(StandardCharsets.ISO_8859_1);
        checkHostAndPort(value, 0, value.length, "Host field");
      }
    }
    if (authority != null && !method.equals("CONNECT")) {
      headers.set("Host", authority); // RFC 9112 3.2.2: the target's authority wins
    }
    body = NO_BODY;
    bodyLength = 0;
    trailers = new HttpHeaders();
    head = new HttpRequest(method, target, version, headers);
    boolean coded = headers.contains("Transfer-Encoding");
    boolean sized = headers.contains("Content-Length");
    if (coded) {
      if (sized) {
        throw new HttpError(400, "both Content-Length and Transfer-Encoding");
      }
      if (version.equals("HTTP/1.0")) {
        throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      chunkedOnly(headers.getAll("Transfer-Encoding"));
      state = State.CHUNK_SIZE;
      streaming = listener.headReceived(head, -1);
      if (!streaming) { // a streaming handler's connection asks for the body itself
        expectContinueIfAsked();
      }
      return;
    }
    long length =
        sized
            ? contentLength(
                headers.getAll("Content-Length"), options.allowIdenticalContentLengths())
            : 0;
    streaming = listener.headReceived(head, length);
    if (!streaming && length > options.maxBodySize()) {
      throw new HttpError(
          413, "body of " + length + " bytes, over the limit of " + options.maxBodySize());
    }
    if (length == 0) {
      emit();
      return;
    }
    if (!streaming) {
      body = new byte[(int) length];
    }
    remaining = length;
    if (!streaming && end - start < length) {
      expectContinueIfAsked();
    }
    state = State.FIXED_BODY;
  }

  private static void chunkedOnly(List<String> fields) throws HttpError {
    String[] all = String.join(",", fields).split(",", -1);
    for (int i = 0; i < all.length; i++) {
      String coding = all[i].trim().toLowerCase(Locale.ROOT);
      boolean last = i == all.length - 1;
      if (coding.isEmpty()) {
        throw new HttpError(400, "empty transfer coding");
      }
      if (coding.equals("chunked")) {
        if (!last) {
          throw new HttpError(400, "chunked is not the final transfer coding");
        }
      } else if (last) {
        throw new HttpError(400, "the final transfer coding is " + coding + ", not chunked");
      } else {
        throw new HttpError(501, "transfer coding " + coding + " is not implemented");
      }
    }
  }

  private static long contentLength(List<String> fields, boolean identicalAllowed)
      throws HttpError {
    long length = -1;
    int values = 0;
    for (String field : fields) {
      for (String part : field.split(",", -1)) {
        String value = part.trim();
        if (value.isEmpty()
            || value.length() > 18
            || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new HttpError(400, "invalid Content-Length: " + field);
        }
        long parsed = Long.parseLong(value);
        if (length >= 0 && parsed != length) {
          throw new HttpError(400, "differing Content-Length values");
        }
        length = parsed;
        values++;
      }
    }
    if (values > 1 && !identicalAllowed) {
      throw new HttpError(400, "Content-Length repeated (even with the same value)");
    }
    return Math.max(length, 0);
  }

  private long chunkSize(int from, int to) throws HttpError {
    long size = 0;
    int i = from;
    for (; i < to; i++) {
      int digit = Character.digit(bytes[i], 16);
      if (digit < 0) {
        break;
      }
      if (i - from >= 15) {
        throw new HttpError(400, "chunk size overflow");
      }
      size = size * 16 + digit;
    }
    if (i == from) {
      throw new HttpError(400, "missing chunk size");
    }
    while (i < to && (bytes[i] == ' ' || bytes[i] == '\t')) {
      i++;
    }
    if (i < to && bytes[i] != ';') {
      throw new HttpError(400, "junk after the chunk size");
    }
    for (; i < to; i++) {
      int b = bytes[i] & 0xFF;
      if ((b < 0x20 && b != '\t') || b == 0x7F) {
        throw new HttpError(400, "control character in a chunk extension");
      }
    }
    return size;
  }

  private void expectContinueIfAsked() {
    if (version.equals("HTTP/1.1") && headers.containsToken("Expect", "100-continue")) {
      listener.expectContinue();
    }
  }

  /**
   * Takes {@code count} bytes of body, or returns false if a streamed body cannot take them now.
   */
  private boolean takeBody(int count) {
    if (!streaming) {
      copyBody(count);
      return true;
    }
    if (count == 0) {
      return true;
    }
    if (!listener.acceptsBody()) {
      return false;
    }
    int from = start;
    start += count;
    listener.bodyData(ByteBuffer.wrap(bytes, from, count));
    return state != State.STOPPED;
  }

  private void copyBody(int count) {
    if (bodyLength + count > body.length) {
      body =
          Arrays.copyOf(
              body,
              Math.max(bodyLength + count, Math.min(options.maxBodySize(), body.length * 2 + 64)));
    }
    System.arraycopy(bytes, start, body, bodyLength, count);
    bodyLength += count;
    start += count;
  }

  private void emit() {
    HttpRequest request = head;
    boolean streamed = streaming;
    HttpHeaders trailerFields = trailers;
    if (!streamed) {
      request.completeBody(
          bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength), trailerFields);
    }
    if (state != State.STOPPED) {
      state = State.REQUEST_LINE;
    }
    emptyLines = 0;
    head = null;
    headers = null;
    body = null;
    streaming = false;
    if (streamed) {
      listener.bodyEnd(trailerFields);
    } else {
      listener.request(request);
    }
  }

  // ---------------------------------------------------------------- buffer

  private void append(ByteBuffer data) {
    int length = data.remaining();
    if (start == end) {
      start = 0;
      end = 0;
    }
    if (end + length > bytes.length) {
      int size = end - start;
      byte[] target =
          size + length <= bytes.length
              ? bytes
              : new byte[Math.max(bytes.length * 2, size + length)];
      System.arraycopy(bytes, start, target, 0, size);
      bytes = target;
      start = 0;
      end = size;
    }
    data.get(bytes, end, length);
    end += length;
  }
}
