package io.torsion.protocols.http;

/**
 * Writes a streamed response's body (see {@link HttpResponse#streamed}). Called on the reactor
 * thread once the response's turn comes, after its head is sent; it may write everything at once,
 * register a producer, or write over time, and must end with {@link ResponseBody#finish()} or
 * {@link ResponseBody#abort}.
 */
@FunctionalInterface
public interface BodyWriter {
  /** Starts writing the body to {@code body}. */
  void writeTo(ResponseBody body);
}
