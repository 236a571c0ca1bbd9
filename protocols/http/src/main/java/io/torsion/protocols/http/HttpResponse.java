package io.torsion.protocols.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A response to send: status, header fields and body. The server adds {@code Date}, {@code
 * Server}, {@code Content-Length} (or chunked framing) and {@code Connection} itself.
 *
 * <pre>{@code
 * HttpResponse.text(200, "Hello, World!");
 * HttpResponse.of(204);
 * HttpResponse.bytes(200, "application/octet-stream", data).header("Cache-Control", "no-store");
 * }</pre>
 */
public final class HttpResponse {
  private final int status;
  private final HttpHeaders headers = new HttpHeaders();
  private final byte[] body;
  private final List<byte[]> chunks;

  private HttpResponse(int status, byte[] body, List<byte[]> chunks) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
    this.status = status;
    this.body = body;
    this.chunks = chunks;
  }

  /** Returns a response with {@code status} and no body. */
  public static HttpResponse of(int status) {
    return new HttpResponse(status, new byte[0], null);
  }

  /** Returns a {@code text/plain; charset=utf-8} response. */
  public static HttpResponse text(int status, String text) {
    return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a response with {@code body} of type {@code contentType}. */
  public static HttpResponse bytes(int status, String contentType, byte[] body) {
    HttpResponse response = new HttpResponse(status, Objects.requireNonNull(body, "body"), null);
    response.headers.set("Content-Type", contentType);
    return response;
  }

  /** Returns a response sent with chunked transfer coding, one chunk per element. */
  public static HttpResponse chunked(int status, String contentType, List<byte[]> chunks) {
    HttpResponse response = new HttpResponse(status, null, List.copyOf(chunks));
    response.headers.set("Content-Type", contentType);
    return response;
  }

  /** Adds a header field and returns this response. */
  public HttpResponse header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  /** Returns the status code. */
  public int status() {
    return status;
  }

  /** Returns the header fields set so far. */
  public HttpHeaders headers() {
    return headers;
  }

  /** Returns the body, or null for a chunked response. */
  byte[] body() {
    return body;
  }

  /** Returns the chunks of a chunked response, or null. */
  List<byte[]> chunks() {
    return chunks;
  }

  @Override
  public String toString() {
    return "HttpResponse[" + status + ", " + headers.size() + " headers, "
        + (body != null ? body.length + " body bytes" : chunks.size() + " chunks") + "]";
  }
}
