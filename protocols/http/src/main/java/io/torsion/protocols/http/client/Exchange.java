package io.torsion.protocols.http.client;

import io.torsion.Deferred;
import io.torsion.protocols.http.HttpHeaders;
import java.net.URI;
import java.util.List;

/**
 * One request on its way to one response (one hop of a redirect chain): waiting for a connection,
 * then on one, perhaps retried once on a new one. Its Deferred fires with the response (at the head
 * for a streamed one, at the end otherwise) or fails; cancelling it takes the request out of the
 * queue or closes its connection.
 */
final class Exchange {
  final ClientRequest request;
  final Origin origin;
  final List<URI> redirects;
  final Deferred<ClientResponse> result;
  int attempts;
  ClientConnection connection; // while on one
  boolean finished;
  boolean withoutExpect; // a 417 answered its Expect: 100-continue once

  Exchange(ClientRequest request, List<URI> redirects, ConnectionPool pool) {
    this.request = request;
    this.origin = Origin.of(request.uri());
    this.redirects = redirects;
    this.result = new Deferred<>(cancelled -> pool.cancel(this));
  }

  /**
   * Returns true if the request can go again on a new connection after its connection closed before
   * any byte of the response: once, if idempotent with a fixed body (RFC 9110 9.2.2).
   */
  boolean retryable() {
    return attempts < 2 && request.idempotent() && request.writer() == null;
  }

  /** Returns true if a response with this status and fields will be followed, not returned. */
  boolean willFollow(int status, HttpHeaders headers) {
    return request.maxRedirects() > 0
        && Redirects.isRedirect(status)
        && headers.contains("Location");
  }

  void succeed(ClientResponse response) {
    if (!finished) {
      finished = true;
      result.callback(response);
    }
  }

  void fail(Throwable error) {
    if (!finished) {
      finished = true;
      result.errback(error);
    }
  }

  @Override
  public String toString() {
    return request.toString();
  }
}
