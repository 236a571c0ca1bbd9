package io.torsion;

/**
 * A protocol that finishes its in-flight work when the reactor stops, instead of being closed at
 * once: an HTTP server answers the requests it has, says {@code Connection: close} on the last
 * response and closes idle keep-alive connections.
 *
 * <p>When {@link Reactor#stop()} begins, the reactor stops accepting and calls {@link
 * #drainConnection()} on each open connection whose protocol implements this; other connections are
 * closed after their queued writes, as by {@link Transport#loseConnection()}. A connection still
 * open when {@link ReactorOptions#shutdownTimeout()} (the grace period) runs out is aborted with a
 * reason.
 */
public interface DrainableProtocol {
  /**
   * Called on the reactor thread when the reactor starts to stop: finish what is in flight, then
   * close the connection. Returns false to be closed like any other protocol instead (a wrapper
   * whose wrapped protocol does not drain says so).
   */
  boolean drainConnection();
}
