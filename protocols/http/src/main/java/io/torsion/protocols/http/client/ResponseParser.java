package io.torsion.protocols.http.client;

import io.torsion.protocols.http.HttpError;
import io.torsion.protocols.http.HttpHeaders;
import io.torsion.protocols.http.internal.MessageParser;
import java.nio.ByteBuffer;

/**
 * An incremental HTTP/1.1 response parser, as strict as the server's request parser: a status line
 * of {@code HTTP/1.x}, three digits and a reason without control characters; the shared rules for
 * fields, chunks and limits; framing by RFC 9112 6.3 (no body for {@code HEAD}, 1xx, 204 and 304;
 * {@code Content-Length} and {@code Transfer-Encoding} together, differing or repeated lengths, and
 * a final coding other than chunked are errors; no framing at all runs to the close). Interim 1xx
 * responses are reported and skipped; an unrequested 101 is an error.
 */
final class ResponseParser extends MessageParser {
  /** Receives what the parser finds. */
  interface Listener {
    /** An interim (1xx) response arrived, e.g. {@code 100 Continue}. */
    void interim(int status);

    /**
     * The final response's head arrived; returns true to stream its body.
     *
     * @param length the declared length, or -1 if chunked or delimited by the close
     */
    boolean head(int status, String reason, String version, HttpHeaders headers, long length);

    /** Returns true if a piece of a streamed body can be delivered now. */
    boolean acceptsBody();

    /** A piece of a streamed body; valid only during the call. */
    void bodyData(ByteBuffer data);

    /** The response is complete; {@code whole} is null if the body was streamed. */
    void complete(byte[] whole, HttpHeaders trailers);
  }

  private static final byte[] HTTP_SLASH_1 = {'H', 'T', 'T', 'P', '/', '1', '.'};
  private static final int MAX_STATUS_LINE = 8192;
  private static final int MAX_CHUNK_LINE = 4096;

  private final Listener listener;
  private boolean headRequest;
  private int status;
  private String reason;
  private String version;
  private boolean interim;
  private boolean untilClose;

  ResponseParser(HttpClientOptions options, Listener listener) {
    super(
        "status line",
        MAX_STATUS_LINE,
        502,
        options.maxResponseHeadSize(),
        options.maxHeaderCount(),
        MAX_CHUNK_LINE,
        options.maxResponseBody(),
        1);
    this.listener = listener;
  }

  /** The next response answers a request with {@code method}. */
  void expect(String method) {
    headRequest = method.equals("HEAD");
    untilClose = false;
  }

  /** Returns true if bytes beyond the message just completed are buffered. */
  boolean leftover() {
    return buffered() > 0;
  }

  /** Returns true if the last response's body ran to the close (the connection cannot go on). */
  boolean closeDelimited() {
    return untilClose;
  }

  @Override
  protected void startLine(int from, int to) throws HttpError {
    if (to - from < 12
        || !startsWith(from, HTTP_SLASH_1)
        || !isDigit(bytes[from + 7])
        || bytes[from + 8] != ' ') {
      throw new HttpError(502, "malformed status line: expected HTTP/1.x SP STATUS SP REASON");
    }
    for (int i = from + 9; i < from + 12; i++) {
      if (!isDigit(bytes[i])) {
        throw new HttpError(502, "malformed status code");
      }
    }
    status =
        (bytes[from + 9] - '0') * 100 + (bytes[from + 10] - '0') * 10 + (bytes[from + 11] - '0');
    if (status < 100 || status > 599) {
      throw new HttpError(502, "status code " + status + " out of range");
    }
    if (to > from + 12 && bytes[from + 12] != ' ') {
      throw new HttpError(502, "malformed status line: no space after the status code");
    }
    for (int i = from + 13; i < to; i++) {
      int b = bytes[i] & 0xFF;
      if ((b < 0x20 && b != '\t') || b == 0x7F) {
        throw new HttpError(502, "control character in the reason phrase");
      }
    }
    version = bytes[from + 7] == '0' ? "HTTP/1.0" : "HTTP/1.1";
    reason = to > from + 13 ? ascii(from + 13, to) : "";
  }

  @Override
  protected void headersDone(HttpHeaders headers) throws HttpError {
    if (status < 200) {
      if (status == 101) {
        throw new HttpError(502, "101 Switching Protocols, which was not asked for");
      }
      interim = true;
      noBody();
      return;
    }
    boolean coded = (fieldsSeen() & TRANSFER_ENCODING) != 0; // noted as the fields were parsed
    boolean sized = (fieldsSeen() & CONTENT_LENGTH) != 0;
    if (headRequest || status == 204 || status == 304) {
      listener.head(status, reason, version, headers, 0);
      noBody();
      return;
    }
    if (coded) {
      if (sized) {
        throw new HttpError(502, "both Content-Length and Transfer-Encoding in a response");
      }
      chunkedOnly(headers.getAll("Transfer-Encoding"));
      chunkedBody(listener.head(status, reason, version, headers, -1));
      return;
    }
    if (sized) {
      long length = contentLength(headers.getAll("Content-Length"), false);
      fixedBody(length, listener.head(status, reason, version, headers, length));
      return;
    }
    untilClose = true;
    bodyUntilClose(listener.head(status, reason, version, headers, -1));
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
    if (interim) {
      interim = false;
      listener.interim(status);
      return;
    }
    listener.complete(whole, trailers);
  }
}
