package io.torsion.protocols.http;

import java.io.IOException;

/**
 * A request the server refuses, with the status it answers: 400 for malformed syntax, 413 for a
 * body over the limit, 414 for a request line over the limit, 431 for headers over the limits, 501
 * for a transfer coding it does not implement, 505 for an HTTP version it does not speak. After
 * such an error the connection is answered and closed, never reused.
 */
public final class HttpError extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** Creates the error with the status to answer and a message saying what was wrong. */
  public HttpError(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    this.status = status;
  }

  /** Returns the status to answer with. */
  public int status() {
    return status;
  }
}
