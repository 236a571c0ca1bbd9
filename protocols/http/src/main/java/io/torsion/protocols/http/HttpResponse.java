package io.torsion.protocols.http;

import io.torsion.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A response to send: status, header fields and body, whole or streamed. The server adds {@code
 * Date}, {@code Server}, {@code Content-Length} (or chunked framing) and {@code Connection} itself.
 *
 * <pre>{@code
 * HttpResponse.text(200, "Hello, World!");
 * HttpResponse.of(204);
 * HttpResponse.bytes(200, "application/octet-stream", data).header("Cache-Control", "no-store");
 * HttpResponse.streamed(200, "text/plain", body -> body.registerProducer(new LogTail(body)));
 * }</pre>
 */
public final class HttpResponse {
  private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
  private final int status;
  private final HttpHeaders headers = new HttpHeaders();
  private final byte[] body;
  private final BodyWriter writer;
  private final long length;
  private Protocol upgrade; // what the connection switches to after a 101

  private HttpResponse(int status, byte[] body, BodyWriter writer, long length) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
    this.status = status;
    this.body = body;
    this.writer = writer;
    this.length = length;
  }

  /**
   * Returns a {@code 101 Switching Protocols} response: once it is sent, the connection is handed
   * to {@code next} (which gets {@code connectionMade}, then every byte after the request). The
   * request must ask to upgrade ({@code Connection: upgrade} and {@code Upgrade}): the server reads
   * no further request after such a request until it is answered. This is how the WebSocket module
   * takes a connection over.
   *
   * @param protocol the protocol named in the response's {@code Upgrade} field, e.g. {@code
   *     websocket}
   */
  public static HttpResponse switchingProtocols(String protocol, Protocol next) {
    Objects.requireNonNull(next, "next");
    HttpResponse response = new HttpResponse(101, null, null, 0);
    response.header("Upgrade", protocol).header("Connection", "Upgrade");
    response.upgrade = next;
    return response;
  }

  /** Returns a response with {@code status} and no body. */
  public static HttpResponse of(int status) {
    return new HttpResponse(status, new byte[0], null, 0);
  }

  /** Returns a {@code text/plain; charset=utf-8} response. */
  public static HttpResponse text(int status, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    HttpResponse response = new HttpResponse(status, body, null, body.length);
    response.headers.add("Content-Type", TEXT_PLAIN); // a constant: nothing to check
    return response;
  }

  /** Returns a response with {@code body} of type {@code contentType}. */
  public static HttpResponse bytes(int status, String contentType, byte[] body) {
    HttpResponse response =
        new HttpResponse(status, Objects.requireNonNull(body, "body"), null, body.length);
    response.headers.add("Content-Type", requireFieldValue(contentType));
    return response;
  }

  /**
   * Returns a response whose body {@code writer} streams, of a length not known in advance: sent
   * with chunked transfer coding (to an HTTP/1.0 client, delimited by closing the connection).
   * {@code HEAD} requests get the head only; the writer is not called.
   */
  public static HttpResponse streamed(int status, String contentType, BodyWriter writer) {
    return streamed(status, contentType, -1, writer);
  }

  /**
   * Returns a response whose body {@code writer} streams, {@code length} bytes long (sent as {@code
   * Content-Length}), or of unknown length if {@code length} is -1.
   */
  public static HttpResponse streamed(
      int status, String contentType, long length, BodyWriter writer) {
    if (length < -1) {
      throw new IllegalArgumentException("length must be -1 (unknown) or at least 0: " + length);
    }
    HttpResponse response =
        new HttpResponse(status, null, Objects.requireNonNull(writer, "writer"), length);
    response.headers.add("Content-Type", requireFieldValue(contentType));
    return response;
  }

  /** Returns a response sent with chunked transfer coding, one chunk per element. */
  public static HttpResponse chunked(int status, String contentType, List<byte[]> chunks) {
    List<byte[]> copy = List.copyOf(chunks);
    return streamed(
        status,
        contentType,
        body -> {
          for (byte[] chunk : copy) {
            body.write(chunk);
          }
          body.finish();
        });
  }

  /**
   * Adds a header field and returns this response.
   *
   * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or
   *     another control character (which would let the value forge fields of its own)
   */
  public HttpResponse header(String name, String value) {
    headers.add(requireToken(name), requireFieldValue(value));
    return this;
  }

  private static String requireToken(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty field name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        throw new IllegalArgumentException("invalid character in field name: " + name);
      }
    }
    return name;
  }

  private static String requireFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw new IllegalArgumentException("control character in field value (CR and LF included)");
      }
    }
    return value;
  }

  /** Returns the status code. */
  public int status() {
    return status;
  }

  /** Returns the header fields set so far. */
  public HttpHeaders headers() {
    return headers;
  }

  /** Returns true if the body is streamed by a {@link BodyWriter} rather than held whole. */
  public boolean isStreamed() {
    return writer != null;
  }

  /** Returns the body, or null for a streamed response. */
  byte[] body() {
    return body;
  }

  /** Returns the protocol a 101 response hands the connection to, or null. */
  Protocol upgrade() {
    return upgrade;
  }

  /** Returns the writer of a streamed response, or null. */
  BodyWriter writer() {
    return writer;
  }

  /** Returns the body's length, or -1 if a streamed body's length is unknown. */
  long length() {
    return length;
  }

  @Override
  public String toString() {
    return "HttpResponse["
        + status
        + ", "
        + headers.size()
        + " headers, "
        + (body != null
            ? body.length + " body bytes"
            : "streamed" + (length >= 0 ? ", " + length + " bytes" : ""))
        + "]";
  }
}
