package io.torsion;

/**
 * Implemented by a {@link Protocol} that wants to keep writing after the peer has finished sending.
 * Without it, a peer's half-close closes the connection once pending writes are flushed.
 *
 * <pre>{@code
 * final class Upper extends Protocol implements HalfCloseableProtocol {
 *     private final StringBuilder all = new StringBuilder();
 *     public void dataReceived(ByteBuffer data) { all.append(StandardCharsets.UTF_8.decode(data)); }
 *     public void readConnectionLost() {
 *         transport().write(all.toString().toUpperCase());
 *         transport().loseConnection();
 *     }
 * }
 * }</pre>
 */
public interface HalfCloseableProtocol {
  /** Called on the reactor thread when the peer has shut down its write side. */
  void readConnectionLost();
}
