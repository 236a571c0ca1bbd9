package io.torsion.protocols.http.internal;

import io.torsion.protocols.http.HttpError;
import io.torsion.protocols.http.HttpHeaders;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The part of an incremental HTTP/1.1 message parser (RFC 9112) that requests and responses share:
 * lines ending in CRLF only, header and trailer fields (no obs-fold, no whitespace before the
 * colon, token names, no control characters in values), and bodies of a fixed length, chunked, or
 * (for responses) delimited by the close, each either aggregated up to a limit or streamed with
 * backpressure. A subclass reads the start line, decides the framing in {@link #headersDone}, and
 * receives the body. Every limit holds before more is buffered; after an {@link HttpError} the
 * parser accepts nothing more. Not API: the module does not export this package.
 */
public abstract class MessageParser {
  private enum State {
    START_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    UNTIL_CLOSE,
    FAILED,
    STOPPED
  }

  /** Where the parser is in a message, for timeouts. */
  public enum Phase {
    /** Between messages, nothing of the next one received. */
    IDLE,
    /** Part of a start line or header section received. */
    HEAD,
    /** Headers complete, the body still arriving. */
    BODY
  }

  private static final boolean[] TCHAR = new boolean[128];
  private static final byte[] NO_BODY = new byte[0];

  /** Field names most messages carry, shared rather than allocated for each message. */
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
    "expect",
    "Date",
    "Server",
    "Location",
    "location",
    "Origin",
    "origin",
    "Upgrade",
    "upgrade",
    "Sec-WebSocket-Key",
    "sec-websocket-key",
    "Sec-WebSocket-Version",
    "sec-websocket-version",
    "Sec-WebSocket-Extensions",
    "sec-websocket-extensions",
    "Sec-WebSocket-Protocol",
    "sec-websocket-protocol"
  };

  /** Bits of {@link #fieldsSeen()}: the framing fields a header section has. */
  protected static final int HOST = 1;

  /** A {@code Connection} field. */
  protected static final int CONNECTION = 2;

  /** A {@code Content-Length} field. */
  protected static final int CONTENT_LENGTH = 4;

  /** A {@code Transfer-Encoding} field. */
  protected static final int TRANSFER_ENCODING = 8;

  /** An {@code Expect} field. */
  protected static final int EXPECT = 16;

  /** More than one {@code Host} field. */
  protected static final int MANY_HOSTS = 32;

  /** The bit of each of {@link #FIELD_NAMES}, 0 for a field framing does not look at. */
  private static final int[] FIELD_BITS = {
    HOST,
    HOST,
    0,
    0,
    CONNECTION,
    CONNECTION,
    0,
    0,
    CONTENT_LENGTH,
    CONTENT_LENGTH,
    0,
    0,
    0,
    0,
    0,
    0,
    TRANSFER_ENCODING,
    TRANSFER_ENCODING,
    0,
    0,
    EXPECT,
    EXPECT,
    0,
    0,
    0,
    0,
    0, // Origin and the WebSocket handshake's fields, which a WebSocket connection keeps
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0
  };

  private static final String[] FIELD_VALUES = {
    "keep-alive",
    "close",
    "*/*",
    "chunked",
    "100-continue",
    "Upgrade",
    "upgrade",
    "websocket",
    "keep-alive, Upgrade",
    "13",
    "permessage-deflate; client_max_window_bits"
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
  }

  private final int maxStartLine;
  private final int startLineTooLongStatus;
  private final int maxHeaderSize;
  private final int maxHeaderCount;
  private final int maxChunkLine;
  private final long maxBodySize;
  private final int maxEmptyLines;
  private final String startLineName;
  private final String startLineTooLong;

  /** The buffered input: bytes [start, end) are unparsed. */
  protected byte[] bytes = new byte[1024];

  private int start;
  private int end;
  private State state = State.START_LINE;
  private int emptyLines;
  private int headerBytes;
  private HttpHeaders headers;
  private HttpHeaders trailers;
  private boolean streaming;
  private byte[] body;
  private int bodyLength;
  private long remaining;
  private HttpError failure;
  private int seen; // FIELD_BITS of the header section being parsed

  /**
   * Creates a parser with these limits.
   *
   * @param maxStartLine the longest start line, CRLF excluded
   * @param startLineTooLongStatus the status of the error for a longer one (414 for a request)
   * @param maxHeaderSize the largest header (or trailer) section, in bytes
   * @param maxHeaderCount the most header fields
   * @param maxChunkLine the longest chunk-size line, CRLF excluded
   * @param maxBodySize the largest body aggregated (a streamed body has no limit)
   * @param maxEmptyLines how many empty lines may precede a start line
   * @param startLineName what errors call the start line ("request line")
   */
  protected MessageParser(
      String startLineName,
      int maxStartLine,
      int startLineTooLongStatus,
      int maxHeaderSize,
      int maxHeaderCount,
      int maxChunkLine,
      long maxBodySize,
      int maxEmptyLines) {
    this.maxStartLine = maxStartLine;
    this.startLineTooLongStatus = startLineTooLongStatus;
    this.maxHeaderSize = maxHeaderSize;
    this.maxHeaderCount = maxHeaderCount;
    this.maxChunkLine = maxChunkLine;
    this.maxBodySize = maxBodySize;
    this.maxEmptyLines = maxEmptyLines;
    this.startLineName = startLineName;
    this.startLineTooLong = startLineName + " longer than ";
  }

  // ---------------------------------------------------------------- what a subclass provides

  /** Reads the start line in {@code bytes[from, to)}. */
  protected abstract void startLine(int from, int to) throws HttpError;

  /**
   * The header section is complete: check it, and frame the body with one of {@link #noBody},
   * {@link #fixedBody}, {@link #chunkedBody} or {@link #bodyUntilClose}.
   */
  protected abstract void headersDone(HttpHeaders headers) throws HttpError;

  /** Returns true if a piece of a streamed body can be delivered now. */
  protected abstract boolean acceptsBody();

  /** A piece of a streamed body; valid only during the call. */
  protected abstract void bodyData(ByteBuffer data);

  /**
   * The message is complete.
   *
   * @param whole the aggregated body, or null if it was streamed
   * @param trailerFields the trailer fields of a chunked body, or null when it had none (most
   *     messages: no empty set is made for them)
   */
  protected abstract void complete(byte[] whole, HttpHeaders trailerFields);

  // ---------------------------------------------------------------- driving

  /**
   * Parses {@code data}, completing every message it can.
   *
   * @throws HttpError at the first violation; every later call throws it again
   */
  public final void feed(ByteBuffer data) throws HttpError {
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

  /**
   * The input has ended (the peer closed): completes a body delimited by the close, else throws if
   * a message was under way.
   *
   * @return true if a message was completed by the close
   */
  public final boolean endOfInput() throws HttpError {
    if (failure != null) {
      throw failure;
    }
    if (state == State.UNTIL_CLOSE) {
      finish();
      return true;
    }
    if (phase() != Phase.IDLE && state != State.STOPPED) {
      failure = new HttpError(400, "the message ended before it was complete (" + state + ")");
      state = State.FAILED;
      throw failure;
    }
    return false;
  }

  /** Accepts nothing more: the connection will carry no further message. */
  public void stop() {
    if (state != State.FAILED) {
      state = State.STOPPED;
    }
  }

  /** Returns true once stopped or failed. */
  protected final boolean stopped() {
    return state == State.STOPPED || state == State.FAILED;
  }

  /** Returns true while a streamed body is arriving. */
  public boolean streamingBody() {
    return streaming && phase() == Phase.BODY;
  }

  /** Returns where the parser is in a message. */
  public Phase phase() {
    return switch (state) {
      case START_LINE -> end > start ? Phase.HEAD : Phase.IDLE;
      case HEADERS -> Phase.HEAD;
      case FAILED, STOPPED -> Phase.IDLE;
      default -> Phase.BODY;
    };
  }

  /** Returns how many unparsed bytes are buffered. */
  protected final int buffered() {
    return end - start;
  }

  // ---------------------------------------------------------------- framing, for headersDone

  /** The message has no body: it is complete now. */
  protected final void noBody() {
    body = NO_BODY;
    bodyLength = 0;
    streaming = false;
    finish();
  }

  /** The body has {@code length} bytes; {@code stream} delivers it in pieces. */
  protected final void fixedBody(long length, boolean stream) throws HttpError {
    if (length == 0) {
      streaming = stream;
      body = NO_BODY;
      bodyLength = 0;
      finish();
      return;
    }
    if (!stream && length > maxBodySize) {
      throw new HttpError(413, "body of " + length + " bytes, over the limit of " + maxBodySize);
    }
    begin(stream, stream ? null : new byte[(int) length]);
    remaining = length;
    frame(State.FIXED_BODY);
  }

  /** The body is chunked; {@code stream} delivers it in pieces. */
  protected final void chunkedBody(boolean stream) {
    begin(stream, stream ? null : NO_BODY);
    frame(State.CHUNK_SIZE);
  }

  /** The body runs to the end of the input (a response without framing). */
  protected final void bodyUntilClose(boolean stream) {
    begin(stream, stream ? null : NO_BODY);
    frame(State.UNTIL_CLOSE);
  }

  /** Enters a body state, unless the subclass stopped the parser meanwhile. */
  private void frame(State body) {
    if (!stopped()) {
      state = body;
    }
  }

  private void begin(boolean stream, byte[] into) {
    streaming = stream;
    body = into;
    bodyLength = 0;
  }

  /** Returns the header section of the message being parsed. */
  protected final HttpHeaders headers() {
    return headers;
  }

  // ---------------------------------------------------------------- the state machine

  private boolean step() throws HttpError {
    switch (state) {
      case START_LINE -> {
        int eol =
            lineEnd(
                maxStartLine,
                startLineTooLongStatus,
                startLineName + " longer than ",
                maxStartLine);
        if (eol < 0) {
          return false;
        }
        if (eol == start) { // an empty line before the start line: tolerated, within reason
          consumeLine(eol);
          if (++emptyLines > maxEmptyLines) {
            throw new HttpError(400, "too many empty lines before the " + startLineName);
          }
          return true;
        }
        startLine(start, eol);
        consumeLine(eol);
        if (state != State.START_LINE) {
          return false; // the subclass stopped
        }
        state = State.HEADERS;
        headers = new HttpHeaders();
        trailers = null; // made if a trailer section comes: most messages have none
        headerBytes = 0;
        seen = 0;
        return true;
      }
      case HEADERS, TRAILERS -> {
        int room = maxHeaderSize - headerBytes;
        boolean head = state == State.HEADERS;
        int eol =
            lineEnd(
                room,
                431,
                head ? "header section larger than " : "trailer section larger than ",
                maxHeaderSize);
        if (eol < 0) {
          return false;
        }
        headerBytes += eol - start + 2;
        if (eol == start) {
          consumeLine(eol);
          if (head) {
            state = State.START_LINE; // unless the subclass frames a body
            emptyLines = 0;
            headersDone(headers);
          } else {
            finish();
          }
          return true;
        }
        HttpHeaders into = head ? headers : trailers;
        if (into.size() >= maxHeaderCount) {
          throw new HttpError(431, "more than " + maxHeaderCount + " header fields");
        }
        field(eol, into, head);
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
          finish();
          return true;
        }
        return false;
      }
      case UNTIL_CLOSE -> {
        int take = end - start;
        if (!streaming && bodyLength + (long) take > maxBodySize) {
          throw new HttpError(413, "body larger than " + maxBodySize + " bytes");
        }
        takeBody(take);
        return false;
      }
      case CHUNK_SIZE -> {
        int eol = lineEnd(maxChunkLine, 400, "chunk-size line longer than ", maxChunkLine);
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
          if (!streaming && bodyLength + size > maxBodySize) {
            throw new HttpError(413, "chunked body larger than " + maxBodySize + " bytes");
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
    int i = start;
    // eight bytes at a time over what holds neither CR nor LF, then byte by byte from the first
    // word that does
    while (i + 8 <= scanEnd && !crOrLf((long) WORDS.get(bytes, i))) {
      i += 8;
    }
    for (; i < scanEnd; i++) {
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

  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Returns true if a byte of {@code word} is CR or LF (the classic has-zero-byte test). */
  private static boolean crOrLf(long word) {
    long cr = word ^ (ONES * '\r');
    long lf = word ^ (ONES * '\n');
    return ((((cr - ONES) & ~cr) | ((lf - ONES) & ~lf)) & HIGHS) != 0;
  }

  private void consumeLine(int eol) {
    start = eol + 2;
  }

  // ---------------------------------------------------------------- helpers for start lines

  /** Returns {@code bytes[from, to)} as a string, one char per byte. */
  protected final String ascii(int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** Returns the index of {@code c} in {@code bytes[from, to)}, or -1. */
  protected final int indexOf(char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** Returns true if {@code bytes} at {@code at} start with {@code prefix}. */
  protected final boolean startsWith(int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Returns true for an ASCII digit. */
  protected static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** Returns true for an ASCII hex digit. */
  protected static boolean isHex(byte b) {
    return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  /** Returns true for a token character (RFC 9110 5.6.2). */
  protected static boolean isTchar(byte b) {
    return b >= 0 && TCHAR[b];
  }

  /**
   * Returns the constant among {@code candidates} spelled exactly as {@code bytes[from, to)}, or a
   * new string.
   */
  protected final String known(String[] candidates, int from, int to) {
    int index = knownIndex(candidates, from, to);
    return index >= 0 ? candidates[index] : RecentStrings.of(bytes, from, to);
  }

  /** Returns {@code bytes[from, to)} as a string, shared with earlier requests that had it. */
  protected final String recent(int from, int to) {
    return RecentStrings.of(bytes, from, to);
  }

  private int knownIndex(String[] candidates, int from, int to) {
    int length = to - from;
    for (int i = 0; i < candidates.length; i++) {
      String candidate = candidates[i];
      if (candidate.length() == length && matches(candidate, from)) {
        return i;
      }
    }
    return -1;
  }

  private boolean matches(String candidate, int at) {
    for (int i = 0; i < candidate.length(); i++) {
      if (bytes[at + i] != candidate.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- fields

  private void field(int eol, HttpHeaders into, boolean head) throws HttpError {
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
      if (!isTchar(b)) {
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
    int index = knownIndex(FIELD_NAMES, start, colon);
    String name = index >= 0 ? FIELD_NAMES[index] : RecentStrings.of(bytes, start, colon);
    if (head) {
      int bit = index >= 0 ? FIELD_BITS[index] : framingBit(name);
      if (bit == HOST && (seen & HOST) != 0) {
        seen |= MANY_HOSTS;
      }
      seen |= bit;
    }
    into.add(name, known(FIELD_VALUES, from, to));
  }

  /** Returns the framing bit of a field name spelled in an uncommon case ({@code HOST}). */
  private static int framingBit(String name) {
    return switch (name.length()) {
      case 4 -> name.equalsIgnoreCase("Host") ? HOST : 0;
      case 6 -> name.equalsIgnoreCase("Expect") ? EXPECT : 0;
      case 10 -> name.equalsIgnoreCase("Connection") ? CONNECTION : 0;
      case 14 -> name.equalsIgnoreCase("Content-Length") ? CONTENT_LENGTH : 0;
      case 17 -> name.equalsIgnoreCase("Transfer-Encoding") ? TRANSFER_ENCODING : 0;
      default -> 0;
    };
  }

  /**
   * Returns which framing fields ({@link #HOST}, {@link #CONNECTION}, {@link #CONTENT_LENGTH},
   * {@link #TRANSFER_ENCODING}, {@link #EXPECT}, {@link #MANY_HOSTS}) the header section has, found
   * as it was parsed: {@link #headersDone} need not look them up.
   */
  protected final int fieldsSeen() {
    return seen;
  }

  /**
   * Checks that {@code Transfer-Encoding} ends in {@code chunked} and names nothing else this
   * parser cannot decode.
   */
  protected static void chunkedOnly(List<String> fields) throws HttpError {
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

  /**
   * Returns the value of the {@code Content-Length} fields: digits only, no differing values, and
   * (unless {@code identicalAllowed}) only one.
   */
  protected static long contentLength(List<String> fields, boolean identicalAllowed)
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

  // ---------------------------------------------------------------- body

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
    if (!acceptsBody()) {
      return false;
    }
    int from = start;
    start += count;
    bodyData(ByteBuffer.wrap(bytes, from, count));
    return state != State.STOPPED;
  }

  private void copyBody(int count) {
    if (bodyLength + count > body.length) {
      body =
          Arrays.copyOf(
              body,
              (int) Math.max(bodyLength + count, Math.min(maxBodySize, body.length * 2L + 64)));
    }
    System.arraycopy(bytes, start, body, bodyLength, count);
    bodyLength += count;
    start += count;
  }

  private void finish() {
    boolean streamed = streaming;
    byte[] whole =
        streamed ? null : bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
    HttpHeaders trailerFields = trailers;
    if (state != State.STOPPED && state != State.FAILED) {
      state = State.START_LINE;
    }
    emptyLines = 0;
    headers = null;
    trailers = null;
    body = null;
    streaming = false;
    complete(whole, trailerFields);
  }

  // ---------------------------------------------------------------- buffer

  /** Returns a copy of the bytes received and not parsed (after a request that upgrades). */
  public final ByteBuffer unparsed() {
    return ByteBuffer.wrap(java.util.Arrays.copyOfRange(bytes, start, end));
  }

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
