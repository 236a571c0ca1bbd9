package io.torsion.protocols.http.client;

import io.torsion.protocols.http.BodyStream;
import io.torsion.protocols.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response an {@link HttpClient} received: status, header fields and the body, aggregated ({@link
 * #body()}) or, for a request that {@linkplain ClientRequest.Builder#streamResponse() streams} it,
 * arriving through {@link #bodyStream()}. {@link #uri()} is where it came from, after any redirects
 * ({@link #redirects()} lists the URIs before).
 */
public final class ClientResponse {
  private final int status;
  private final String reason;
  private final String version;
  private final HttpHeaders headers;
  private final URI uri;
  private final List<URI> redirects;
  private byte[] body;
  private HttpHeaders trailers;
  private BodyStream stream;

  ClientResponse(
      int status,
      String reason,
      String version,
      HttpHeaders headers,
      URI uri,
      List<URI> redirects) {
    this.status = status;
    this.reason = reason;
    this.version = version;
    this.headers = headers;
    this.uri = uri;
    this.redirects = List.copyOf(redirects);
  }

  void completeBody(byte[] whole, HttpHeaders trailerFields) {
    this.body = whole;
    this.trailers = trailerFields;
  }

  void streamBody(BodyStream bodyStream) {
    this.stream = bodyStream;
  }

  /** Returns the status code, e.g. 200. */
  public int status() {
    return status;
  }

  /** Returns the reason phrase as sent (possibly empty). */
  public String reason() {
    return reason;
  }

  /** Returns {@code HTTP/1.1} or {@code HTTP/1.0}. */
  public String version() {
    return version;
  }

  /** Returns the header fields. */
  public HttpHeaders headers() {
    return headers;
  }

  /** Returns the URI the response came from: the request's, or the last redirect's. */
  public URI uri() {
    return uri;
  }

  /** Returns the URIs redirected from, in order (empty when there was no redirect). */
  public List<URI> redirects() {
    return redirects;
  }

  /** Returns true if the body streams through {@link #bodyStream()}. */
  public boolean isStreamed() {
    return stream != null;
  }

  /**
   * Returns the whole body, empty when there is none.
   *
   * @throws IllegalStateException if the body is streamed
   */
  public byte[] body() {
    if (body == null) {
      throw new IllegalStateException("the body of " + this + " is streamed: read bodyStream()");
    }
    return body;
  }

  /** Returns the whole body decoded as UTF-8 (see {@link #body()}). */
  public String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  /**
   * Returns the trailer fields of a chunked body, else empty.
   *
   * @throws IllegalStateException if the body is streamed: they come with {@code bodyEnd}
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
   * Returns the body as it arrives, for a request that streams its response.
   *
   * @throws IllegalStateException if the body was aggregated: read {@link #body()}
   */
  public BodyStream bodyStream() {
    if (stream == null) {
      throw new IllegalStateException("the body of " + this + " was aggregated: read body()");
    }
    return stream;
  }

  @Override
  public String toString() {
    return "ClientResponse[" + status + " " + reason + " from " + uri + "]";
  }
}
