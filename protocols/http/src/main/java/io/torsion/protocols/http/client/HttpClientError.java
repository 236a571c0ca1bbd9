package io.torsion.protocols.http.client;

import java.io.IOException;
import java.util.Objects;

/**
 * A request failed after its connection was made: the response broke the rules, ended early, was
 * too large or too slow, or the redirects went round. Connection failures are the core's {@link
 * io.torsion.ConnectError} types instead (refused, timed out, DNS, TLS handshake). The connection
 * of a failed request is closed, never returned to the pool.
 */
public final class HttpClientError extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a request failed. */
  public enum Reason {
    /** The response was not valid HTTP/1.1 (status line, fields, framing, chunks, limits). */
    MALFORMED_RESPONSE,
    /** An aggregated response body was over {@link HttpClientOptions#maxResponseBody()}. */
    BODY_TOO_LARGE,
    /** The connection closed before the response was complete. */
    ENDED_EARLY,
    /** The response head, a piece of the body, or the whole exchange took too long. */
    TIMEOUT,
    /** More redirects than the request allowed. */
    TOO_MANY_REDIRECTS,
    /** The client was closed. */
    CLIENT_CLOSED
  }

  private final Reason reason;

  /** Creates the error. */
  public HttpClientError(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Creates the error. */
  public HttpClientError(Reason reason, String message) {
    this(reason, message, null);
  }

  /** Returns why the request failed. */
  public Reason reason() {
    return reason;
  }
}
