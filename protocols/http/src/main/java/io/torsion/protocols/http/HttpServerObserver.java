package io.torsion.protocols.http;

/**
 * Hears every exchange of an {@link HttpServer}, for metrics ({@code torsion-micrometer} has one):
 * set with {@link HttpOptions.Builder#observer}. Called on the reactor thread, in the request's
 * order on its connection; keep it quick, and what it throws is logged and ignored.
 */
public interface HttpServerObserver {
  /**
   * A request begins: its head was read and it goes to its handler; {@code request} is null for one
   * that could not be parsed (it is answered with an error status).
   */
  void requestStarted(HttpRequest request);

  /**
   * The request that {@link #requestStarted} announced has ended: its response's last byte was
   * handed to the transport ({@code completed}), or the connection closed before (its status is 0
   * when no response was chosen yet). {@code nanos} runs from the start.
   */
  void requestEnded(HttpRequest request, int status, long nanos, boolean completed);
}
